//! Dispatch of the client's requests and notifications by their `ls-types` method constants,
//! with their parameters read into the typed structs, and the handlers themselves. Scheduling
//! (what runs where and when) stays in `server.rs`.

use super::actions::{self, Target};
use super::hover;
use super::kustomize::RenderJob;
use super::position::{Position, Positions};
use super::server::{is_config, uri_path, Doc, ScanJob, Server};
use ls_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use ls_types::request::{CodeActionRequest, HoverRequest, Request as _};
use ls_types::{
    CodeActionParams, CodeActionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, Hover,
    HoverParams, PublishDiagnosticsParams,
};
use lsp_server::{ErrorCode, Notification, Request, Response};
use std::path::PathBuf;
use std::sync::Arc;

/// Answer one request (other than `shutdown`, which the main loop handles).
pub fn request(server: &Arc<Server>, req: Request) -> Response {
    match req.method.as_str() {
        HoverRequest::METHOD => respond::<HoverRequest>(req, |p| hover(server, p)),
        CodeActionRequest::METHOD => respond::<CodeActionRequest>(req, |p| code_actions(server, p)),
        _ => Response::new_err(
            req.id,
            ErrorCode::MethodNotFound as i32,
            format!("unsupported method {}", req.method),
        ),
    }
}

/// Read a request's parameters as `R` says, and answer with what `handle` makes of them.
fn respond<R: ls_types::request::Request>(
    req: Request,
    handle: impl FnOnce(R::Params) -> R::Result,
) -> Response {
    match serde_json::from_value::<R::Params>(req.params) {
        Ok(params) => Response::new_ok(req.id, handle(params)),
        Err(e) => Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
    }
}

/// The parameters of a notification, as `N` says.
fn params<N: ls_types::notification::Notification>(n: Notification) -> Result<N::Params, String> {
    serde_json::from_value(n.params).map_err(|e| format!("{}: {e}", N::METHOD))
}

/// Handle one notification (other than `exit`, which the main loop handles); unknown ones
/// are ignored, as the protocol asks.
pub fn notification(server: &Arc<Server>, n: Notification) -> Result<(), String> {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => did_open(server, params::<DidOpenTextDocument>(n)?),
        DidChangeTextDocument::METHOD => did_change(server, params::<DidChangeTextDocument>(n)?),
        DidSaveTextDocument::METHOD => {
            did_save(server, params::<DidSaveTextDocument>(n)?);
            Ok(())
        }
        DidChangeWatchedFiles::METHOD => {
            watched_files_changed(server, params::<DidChangeWatchedFiles>(n)?);
            Ok(())
        }
        DidCloseTextDocument::METHOD => did_close(server, params::<DidCloseTextDocument>(n)?),
        _ => Ok(()),
    }
}

fn did_open(server: &Server, p: DidOpenTextDocumentParams) -> Result<(), String> {
    let uri = p.text_document.uri.to_string();
    server.lock()?.docs.insert(
        uri.clone(),
        Doc {
            version: p.text_document.version,
            text: Arc::new(p.text_document.text),
        },
    );
    server.lint_later(uri);
    Ok(())
}

/// Apply the changes in order: a change without a range replaces the text, a ranged one
/// replaces the range (UTF-16 positions, clamped to their lines).
fn did_change(server: &Server, p: DidChangeTextDocumentParams) -> Result<(), String> {
    let uri = p.text_document.uri.to_string();
    let mut s = server.lock()?;
    let Some(doc) = s.docs.get_mut(&uri) else {
        return Ok(());
    };
    let mut text = (*doc.text).clone();
    for change in p.content_changes {
        match change.range {
            None => text = change.text,
            Some(r) => {
                let pos = Positions::new(&text);
                let a = pos.offset(Position {
                    line: r.start.line,
                    character: r.start.character,
                }) as usize;
                let b = pos.offset(Position {
                    line: r.end.line,
                    character: r.end.character,
                }) as usize;
                text.replace_range(a.min(b)..b.max(a), &change.text);
            }
        }
    }
    *doc = Doc {
        version: p.text_document.version,
        text: Arc::new(text),
    };
    drop(s);
    server.lint_later(uri);
    Ok(())
}

fn did_save(server: &Server, p: DidSaveTextDocumentParams) {
    let path = uri_path(p.text_document.uri.as_str());
    if is_config(&path) || server.is_configured_crd(&path) {
        server.reload_config();
    } else {
        // Only the saved file changed on disk.
        server.kustomize_files_changed(std::slice::from_ref(&path));
        let _ = server.scan_jobs.send(ScanJob::Files(vec![path.clone()]));
    }
    // A file of a Kustomize root is rendered with its root, off the main loop.
    let _ = server.render_jobs.send(RenderJob::Saved(path));
}

fn watched_files_changed(server: &Server, p: DidChangeWatchedFilesParams) {
    let paths: Vec<PathBuf> = p.changes.iter().map(|c| uri_path(c.uri.as_str())).collect();
    if paths
        .iter()
        .any(|p| is_config(p) || server.is_configured_crd(p))
    {
        server.reload_config();
    } else if !paths.is_empty() {
        server.kustomize_files_changed(&paths);
        let _ = server.scan_jobs.send(ScanJob::Files(paths));
    }
}

fn did_close(server: &Server, p: DidCloseTextDocumentParams) -> Result<(), String> {
    let uri = p.text_document.uri.to_string();
    let mut s = server.lock()?;
    s.docs.remove(&uri);
    s.linted.remove(&uri);
    s.doc_config.remove(&uri);
    s.pieces.remove(&uri);
    drop(s);
    server.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
        uri: p.text_document.uri,
        diagnostics: Vec::new(),
        version: None,
    });
    Ok(())
}

fn hover(server: &Server, p: HoverParams) -> Option<Hover> {
    let at = p.text_document_position_params;
    let (doc, linted) = server.current(at.text_document.uri.as_str())?;
    hover::hover(
        &doc.text,
        &linted.diagnostics,
        Position {
            line: at.position.line,
            character: at.position.character,
        },
        &linted.engine.schemas,
        &linted.engine.settings.limits,
    )
}

fn code_actions(server: &Server, p: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = &p.text_document.uri;
    let Some((doc, linted)) = server.current(uri.as_str()) else {
        return Some(Vec::new());
    };
    let pos = Positions::new(&doc.text);
    let offset = |p: ls_types::Position| {
        pos.offset(Position {
            line: p.line,
            character: p.character,
        })
    };
    let target = Target {
        uri,
        version: doc.version,
        text: &doc.text,
        limits: &linted.engine.settings.limits,
    };
    Some(actions::code_actions(
        &target,
        &linted.diagnostics,
        (offset(p.range.start), offset(p.range.end)),
        server.caps.edits,
    ))
}
