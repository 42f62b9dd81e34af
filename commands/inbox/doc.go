// Package inbox stores files received from peers in a target directory:
// names reduced to safe base names, data written to a temporary file,
// synced, and moved into place only when complete, never replacing an
// existing file unless asked.
//
// A peer controls the offered file name and size, so everything here assumes
// hostile input (hostile-inputs §2.6 items 73, 74, 76 and §2.7 items 88, 94;
// invariants F and D).
//
// Names. [SafeName] keeps only the last element after both '/' and '\',
// drops a drive prefix such as "C:", and removes everything a terminal or
// another operating system could misread. Decisions:
//
//   - Control, format (bidi overrides, zero-width, BOM) and line or paragraph
//     separator characters are replaced by '_' rather than removed, so that
//     "evil\u202Etxt.exe" becomes "evil_txt.exe" and the trick stays visible.
//     Invalid UTF-8 and the characters Windows forbids (<>:"|?*), as well as
//     the fullwidth solidi U+FF0F and U+FF3C (which Windows "best fit"
//     conversions turn into separators), are replaced by '_' too.
//   - A leading '.' is replaced by '_', so a peer cannot plant a hidden file
//     such as ".bashrc" (it is stored as "_bashrc").
//   - Windows device names (CON, PRN, AUX, NUL, COM0–COM9, LPT0–LPT9, the
//     superscript digits ¹²³, CONIN$, CONOUT$), with or without an extension,
//     get a '_' prefix on every platform, so a name is safe wherever the
//     directory is later copied.
//   - Empty names and names of only dots become "file".
//   - Names longer than [MaxNameBytes] are cut on a UTF-8 boundary, keeping an
//     extension of up to 16 bytes.
//
// Files. [Create] opens the target directory with [os.OpenRoot] and creates
// ".<name>.<random>.part" there with O_CREATE|O_EXCL and mode 0600; every
// later operation goes through that root, so a symbolic link in the
// directory is never followed out of it. [File.Commit] syncs, closes and
// moves the file into place, then syncs the directory. Decisions:
//
//   - Without overwrite the final name is created by a hard link from the
//     temporary name (link(2) fails if the name exists, whatever it is: file,
//     directory or symbolic link, even a dangling one). A taken name is
//     followed by "base (1).ext", "base (2).ext", … up to 999. On Linux file
//     systems without hard links (FAT, exFAT) renameat2(RENAME_NOREPLACE) is
//     used instead, which is just as exclusive.
//   - With overwrite a regular file or a symbolic link at the name is replaced
//     by rename(2); a symbolic link is replaced itself, its target is never
//     touched. A directory is never replaced: Commit then falls back to the
//     numbered names, because the data is complete and synced and failing
//     would lose it.
//   - The received file keeps mode 0600 (private to the user, never
//     executable).
//   - If the file was placed but a later step failed (removing the temporary
//     name, syncing the directory), Commit returns the final path together
//     with the error: the data is there, but the caller must not report
//     success.
//
// Errors start with "inbox: " and wrap the underlying [*fs.PathError],
// [*os.LinkError] or syscall error, so callers can test for
// [fs.ErrPermission] and [fs.ErrExist] with [errors.Is].
package inbox
