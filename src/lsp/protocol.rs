//! The protocol's messages as typed values (`ls-types`): what the server offers, what it takes
//! from the client's `initialize`, and findings as LSP diagnostics.

use super::actions::EditCapabilities;
use super::position::Positions;
use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeDescription,
    DiagnosticRelatedInformation, DiagnosticSeverity, HoverProviderCapability, InitializeParams,
    InitializeResult, Location, NumberOrString, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use std::path::PathBuf;

/// What the server offers: open/close and incremental changes (saves without their text),
/// quick fixes, hover.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The answer to `initialize`.
pub fn initialize_result() -> InitializeResult {
    InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "kubevet".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        offset_encoding: None,
    }
}

/// What the client can do, from `initialize`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCapabilities {
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`: the server registers watchers.
    pub watch_files: bool,
    /// `window.workDoneProgress`: the scan is shown as progress.
    pub progress: bool,
    pub edits: EditCapabilities,
}

impl ClientCapabilities {
    pub fn of(params: &InitializeParams) -> ClientCapabilities {
        let caps = &params.capabilities;
        let workspace = caps.workspace.as_ref();
        ClientCapabilities {
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            edits: EditCapabilities {
                document_changes: workspace
                    .and_then(|w| w.workspace_edit.as_ref())
                    .and_then(|e| e.document_changes)
                    .unwrap_or(false),
            },
        }
    }
}

/// The workspace root: `rootUri`, else the first workspace folder, else `rootPath`.
#[allow(deprecated)] // `rootUri` and `rootPath` are deprecated but still what many clients send.
pub fn root(params: &InitializeParams, uri_path: impl Fn(&Uri) -> PathBuf) -> Option<PathBuf> {
    params
        .root_uri
        .as_ref()
        .or_else(|| {
            params
                .workspace_folders
                .as_ref()
                .and_then(|f| f.first())
                .map(|f| &f.uri)
        })
        .map(uri_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
}

/// A finding as an LSP diagnostic of the document `uri`.
pub fn diagnostic(pos: &Positions, uri: &Uri, d: &Diagnostic) -> ls_types::Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let related = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: pos.range(r.span.start, r.span.end),
            },
            message: r.message.clone(),
        })
        .collect();
    ls_types::Diagnostic {
        range: pos.range(d.span.start, d.span.end),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.rule.as_str().to_string())),
        code_description: crate::report::rule_doc_url(d.rule.as_str())
            .parse::<Uri>()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("kubevet".into()),
        message,
        related_information: Some(related),
        tags: None,
        data: None,
    }
}
