use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

use super::common::{is_nfs_class, is_nfs_pv, mount_flags};

/// An NFS PersistentVolume or StorageClass mounted `soft`, or without saying `hard`.
pub struct NfsSoftMount;

impl Check for NfsSoftMount {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let root = object.node();
        let (options, parent) = match object.kind.as_str() {
            "PersistentVolume" if is_nfs_pv(object) => (root.path(&["spec", "mountOptions"]), root.get("spec")),
            "StorageClass" if is_nfs_class(object) => (root.get("mountOptions"), Some(root)),
            _ => return,
        };
        let flags = mount_flags(options);
        let what = format!("NFS {} {}", object.kind, object.name.as_deref().unwrap_or("<unnamed>"));
        let span = match (options, parent) {
            (Some(o), _) if !o.is_null() => {
                parent.and_then(|p| p.entry("mountOptions")).map_or(o.span(), |(k, _)| k.span())
            }
            _ => object.anchor_span(),
        };
        // The last of `hard`/`soft` wins on a mount command line.
        let last = flags.iter().rev().find(|f| matches!(f.as_str(), "hard" | "soft" | "softerr"));
        // Point at the `soft` item itself when there is one (in a chart it usually comes from values).
        let soft_item = options.into_iter().flat_map(|o| o.items()).filter(|i| {
            i.as_str().is_some_and(|s| {
                s.split(',').any(|f| matches!(f.trim().to_ascii_lowercase().as_str(), "soft" | "softerr"))
            })
        });
        let span = soft_item.last().map_or(span, |n| n.span());
        let message = match last.map(String::as_str) {
            Some("hard") => return,
            Some(soft) => format!(
                "{what} is mounted `{soft}`: after a timeout the client returns I/O errors to the application, \
                 and writes it believed done (fsync included) can be lost; mount with `hard`"
            ),
            None => format!(
                "{what} does not set `hard` in mountOptions: the mount then follows each node's defaults \
                 (nfsmount.conf can make it `soft`); say `hard` explicitly"
            ),
        };
        out.push(Violation::new(span, message));
    }
}
