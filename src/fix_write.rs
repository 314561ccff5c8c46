//! Writing a fixed manifest back without risking it: the new text goes to a temporary file in
//! the target's own directory, which is then renamed over the target in one step. A reader (or
//! a crash, a full disk, a file-size limit) sees either the old file or the new one, never a
//! half-written one. Through a symlink the link's target is replaced and the link is left as it
//! is; the file keeps its permission bits.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Replace the contents of the file at `path` (or, through symlinks, of the file it points
/// to) with `text`, atomically. On error the original file is untouched and the temporary
/// file is removed (unless the process itself is killed mid-write, when only the hidden
/// temporary file is left behind).
pub fn replace_file(path: &Path, text: &[u8]) -> std::io::Result<()> {
    let target = real_path(path)?;
    let meta = std::fs::metadata(&target)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".kubevet-tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text)?;
    tmp.as_file().sync_all()?;
    tmp.as_file().set_permissions(meta.permissions())?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// The file a path names, every symlink followed.
fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_contents_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("a.yaml");
        std::fs::write(&f, "old\n").expect("write");
        replace_file(&f, b"new\n").expect("replace");
        assert_eq!(std::fs::read_to_string(&f).expect("read"), "new\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["a.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_the_symlink() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().expect("tempdir");
        let real_dir = dir.path().join("real");
        std::fs::create_dir(&real_dir).expect("mkdir");
        let real = real_dir.join("a.yaml");
        std::fs::write(&real, "old\n").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("link.yaml");
        symlink(&real, &link).expect("symlink");
        replace_file(&link, b"new\n").expect("replace");
        assert!(std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new\n");
        let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        // The temporary file was made beside the target, not beside the link.
        assert_eq!(std::fs::read_dir(&real_dir).expect("list").count(), 1);
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 2);
    }

    #[test]
    fn a_failed_write_is_an_error_and_changes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("gone.yaml");
        assert!(replace_file(&missing, b"x").is_err());
        assert!(!missing.exists());
    }
}
