package keyring

// service is the keyring service name of every entry.
const service = "msn"

// secretBackend stores secret strings under a user name ("<account>:ticket").
type secretBackend interface {
	get(user string) (string, error) // ErrNotFound when absent
	set(user, value string) error
	delete(user string) error // nil when absent
}

// noneBackend saves nothing.
type noneBackend struct{}

func (noneBackend) get(string) (string, error) { return "", ErrNotFound }
func (noneBackend) set(string, string) error   { return nil }
func (noneBackend) delete(string) error        { return nil }
