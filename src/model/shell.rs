//! What a container runs, read as the shell would read it: a script (the `-c` argument of
//! `sh`, `bash`, ...) split into simple commands, each with its words (quotes and backslashes
//! removed), its redirections and the text a here-document or here-string feeds it, and which
//! commands form one pipeline. Not a full shell: expansions (`$VAR`, `$(...)`) stay as written,
//! and a script that is not valid shell is still read as far as it goes, so that a rule sees
//! every command a container could run.
//!
//! No maintained crate fits: `shell-words` and `shlex` split words only (no operators,
//! redirections or here-documents, and no result for an unbalanced quote), `conch-parser` is
//! an unmaintained strict parser that rejects what it cannot parse, and `yash-syntax` is
//! GPL-licensed.

/// One simple command of a script.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Command {
    /// Its words, quotes removed.
    pub words: Vec<String>,
    pub redirects: Vec<Redirect>,
    /// Text fed to it by a here-document or here-string.
    pub input: String,
    /// Commands joined by `|` share a number.
    pub pipeline: usize,
}

/// A redirection: `>> /etc/hosts` is (`>>`, `/etc/hosts`).
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// The operator: `>`, `>>`, `>|`, `<`, `&>`, `>&`, ... (a file descriptor number before it
    /// is dropped).
    pub op: String,
    pub target: String,
}

impl Redirect {
    /// Whether it writes to its target.
    pub fn writes(&self) -> bool {
        self.op.contains('>')
    }
}

/// Split a shell script into simple commands: on `;`, `&&`, `||`, `|`, `&`, newlines,
/// parentheses, backquotes and `$(`, with quotes, backslashes, comments, redirections and
/// here-documents read the way `sh` reads them.
pub fn parse(script: &str) -> Vec<Command> {
    Lexer {
        chars: script.chars().collect(),
        i: 0,
        commands: Vec::new(),
        current: Command::default(),
        pipeline: 0,
        here_docs: Vec::new(),
    }
    .run()
}

/// The index of the script in a shell's command line: `sh -c SCRIPT`, `bash -ec SCRIPT`,
/// `/bin/sh -x -c SCRIPT`, `zsh -o errexit -c SCRIPT`.
pub fn script_index(words: &[String]) -> Option<usize> {
    let program = words.first()?.rsplit('/').next()?;
    if !matches!(
        program,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh"
    ) {
        return None;
    }
    let mut has_c = false;
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if w == "-o" || w == "+o" {
            i += 2;
        } else if w.starts_with("--") {
            i += 1;
        } else if (w.starts_with('-') || w.starts_with('+')) && w.len() > 1 {
            has_c |= w[1..].contains('c');
            i += 1;
        } else {
            break;
        }
    }
    (has_c && i < words.len()).then_some(i)
}

/// A here-document waiting for the end of the line that opened it.
struct HereDoc {
    /// The index its command has (or will have) among the commands.
    command: usize,
    delimiter: String,
    /// `<<-`: leading tabs are stripped from the lines.
    strip_tabs: bool,
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    commands: Vec<Command>,
    /// The command being read.
    current: Command,
    pipeline: usize,
    here_docs: Vec<HereDoc>,
}

impl Lexer {
    fn run(mut self) -> Vec<Command> {
        while let Some(&c) = self.chars.get(self.i) {
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '#' => self.comment(),
                '\n' => self.newline(),
                ';' | '&' | '|' | '(' | ')' | '`' => self.operator(c),
                '$' if self.peek(1) == Some('(') => {
                    // A command substitution starts a command of its own.
                    self.end_command();
                    self.pipeline += 1;
                    self.i += 2;
                }
                '>' | '<' => {
                    self.drop_fd_number();
                    self.redirect(String::new());
                }
                _ => {
                    if let Some(w) = self.word() {
                        self.current.words.push(w);
                    }
                }
            }
        }
        self.end_command();
        self.commands
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    /// End the current command (one with neither words nor redirections is no command).
    fn end_command(&mut self) {
        let mut c = std::mem::take(&mut self.current);
        if !c.words.is_empty() || !c.redirects.is_empty() {
            c.pipeline = self.pipeline;
            self.commands.push(c);
        }
    }

    /// Skip a comment, up to the end of its line.
    fn comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.i += 1;
        }
    }

    /// A newline ends the command; the bodies of the here-documents opened on the line follow.
    fn newline(&mut self) {
        self.end_command();
        self.pipeline += 1;
        self.i += 1;
        for doc in std::mem::take(&mut self.here_docs) {
            let body = self.here_doc_body(&doc);
            if let Some(c) = self.commands.get_mut(doc.command) {
                c.input.push_str(&body);
            }
        }
    }

    /// The lines of a here-document up to its delimiter line (or the end of the script).
    fn here_doc_body(&mut self, doc: &HereDoc) -> String {
        let mut body = String::new();
        while self.i < self.chars.len() {
            let line = self.line();
            let compared = if doc.strip_tabs {
                line.trim_start_matches('\t')
            } else {
                &line
            };
            if compared.trim_end_matches('\r') == doc.delimiter {
                break;
            }
            body.push_str(&line);
            body.push('\n');
        }
        body
    }

    /// Read the rest of the line and its newline; the line without it.
    fn line(&mut self) -> String {
        let len = self.chars.len();
        let end = self.chars[self.i..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(len, |p| self.i + p);
        let line = self.chars[self.i..end].iter().collect();
        self.i = (end + 1).min(len);
        line
    }

    /// `;`, `&`, `&&`, `|`, `||`, `(`, `)` or a backquote: the command ends; commands joined
    /// by a single `|` stay in one pipeline. `&>` is a redirection.
    fn operator(&mut self, c: char) {
        if c == '&' && self.peek(1) == Some('>') {
            // `&>` / `&>>`: standard output and error to a file.
            self.i += 1;
            self.redirect("&".into());
            return;
        }
        let piped = c == '|' && self.peek(1) != Some('|');
        self.end_command();
        if !piped {
            self.pipeline += 1;
        }
        self.i += 1;
        while self.peek(0).is_some_and(|c| matches!(c, '&' | '|' | ';')) {
            self.i += 1;
        }
    }

    /// A file descriptor number written just before a redirection belongs to the operator
    /// (`2>`), not to the command's words.
    fn drop_fd_number(&mut self) {
        let number = self
            .current
            .words
            .last()
            .is_some_and(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()));
        if number && self.i > 0 && self.chars[self.i - 1].is_ascii_digit() {
            self.current.words.pop();
        }
    }

    /// A redirection operator (`>`, `>>`, `>|`, `<`, `<<`, `<<-`, `<<<`, `>&`), after `op`,
    /// and its target word.
    fn redirect(&mut self, mut op: String) {
        while let Some(c) = self.peek(0) {
            // `-` only as the tab-stripping here-document marker `<<-`.
            if !matches!(c, '>' | '<' | '|' | '&' | '-')
                || op.len() >= 3
                || (c == '-' && op != "<<")
            {
                break;
            }
            op.push(c);
            self.i += 1;
        }
        while self.peek(0).is_some_and(|c| matches!(c, ' ' | '\t')) {
            self.i += 1;
        }
        let target = self.word().unwrap_or_default();
        match op.as_str() {
            "<<" | "<<-" => self.here_docs.push(HereDoc {
                command: self.commands.len(),
                delimiter: target,
                strip_tabs: op == "<<-",
            }),
            "<<<" => {
                self.current.input.push_str(&target);
                self.current.input.push('\n');
            }
            _ => self.current.redirects.push(Redirect { op, target }),
        }
    }

    /// Read one word, removing quotes and backslashes; `None` at an operator.
    fn word(&mut self) -> Option<String> {
        let mut w = String::new();
        let start = self.i;
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '`' | '<' | '>' => break,
                '\'' => {
                    self.i += 1;
                    while let Some(q) = self.peek(0).filter(|q| *q != '\'') {
                        w.push(q);
                        self.i += 1;
                    }
                    self.i += 1;
                }
                '"' => {
                    self.i += 1;
                    while let Some(mut q) = self.peek(0).filter(|q| *q != '"') {
                        // Inside double quotes a backslash escapes only `"`, `\`, `$` and `` ` ``.
                        if q == '\\' {
                            if let Some(e) =
                                self.peek(1).filter(|e| matches!(e, '"' | '\\' | '$' | '`'))
                            {
                                self.i += 1;
                                q = e;
                            }
                        }
                        w.push(q);
                        self.i += 1;
                    }
                    self.i += 1;
                }
                '\\' => {
                    // An escaped character; an escaped newline joins the lines.
                    if let Some(n) = self.peek(1).filter(|n| *n != '\n') {
                        w.push(n);
                    }
                    self.i += 2;
                }
                _ => {
                    w.push(c);
                    self.i += 1;
                }
            }
        }
        (self.i > start).then_some(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of each command, and its pipeline, as in `expected`.
    fn words(script: &str) -> Vec<(Vec<String>, usize)> {
        parse(script)
            .into_iter()
            .map(|c| (c.words, c.pipeline))
            .collect()
    }

    fn owned(commands: Vec<(Vec<&str>, usize)>) -> Vec<(Vec<String>, usize)> {
        commands
            .into_iter()
            .map(|(w, p)| (w.into_iter().map(str::to_string).collect(), p))
            .collect()
    }

    #[test]
    fn quotes_and_escapes_are_removed() {
        for (script, expected) in [
            ("echo a b", vec!["echo", "a", "b"]),
            ("echo 'a b'", vec!["echo", "a b"]),
            ("echo \"a b\"", vec!["echo", "a b"]),
            ("echo 'a \"b\" \\n'", vec!["echo", "a \"b\" \\n"]),
            (
                "echo \"say \\\"hi\\\" \\$HOME \\n\"",
                vec!["echo", "say \"hi\" $HOME \\n"],
            ),
            ("echo a\\ b", vec!["echo", "a b"]),
            ("echo a\\\nb", vec!["echo", "ab"]),
            ("echo x'y'\"z\"", vec!["echo", "xyz"]),
            ("echo ''", vec!["echo", ""]),
            ("echo $HOME ${X:-y}", vec!["echo", "$HOME", "${X:-y}"]),
            ("echo a#b # comment", vec!["echo", "a#b"]),
            // An unclosed quote runs to the end of the script.
            ("echo 'open", vec!["echo", "open"]),
            ("echo \"open", vec!["echo", "open"]),
            ("echo trailing\\", vec!["echo", "trailing"]),
        ] {
            assert_eq!(words(script), owned(vec![(expected, 0)]), "{script:?}");
        }
        assert!(parse("# only a comment").is_empty());
        assert!(parse("").is_empty());
        assert!(parse(" \t\r\n;;").is_empty());
    }

    #[test]
    fn operators_separate_commands() {
        for (script, expected) in [
            ("a; b", vec![(vec!["a"], 0), (vec!["b"], 1)]),
            (
                "a && b || c",
                vec![(vec!["a"], 0), (vec!["b"], 1), (vec!["c"], 2)],
            ),
            (
                "a | b | c",
                vec![(vec!["a"], 0), (vec!["b"], 0), (vec!["c"], 0)],
            ),
            (
                "a | b; c | d",
                vec![
                    (vec!["a"], 0),
                    (vec!["b"], 0),
                    (vec!["c"], 1),
                    (vec!["d"], 1),
                ],
            ),
            ("a & b", vec![(vec!["a"], 0), (vec!["b"], 1)]),
            ("a\nb", vec![(vec!["a"], 0), (vec!["b"], 1)]),
            ("(a; b)", vec![(vec!["a"], 1), (vec!["b"], 2)]),
            ("echo `date`", vec![(vec!["echo"], 0), (vec!["date"], 1)]),
            (
                "echo $(date) x",
                vec![(vec!["echo"], 0), (vec!["date"], 1), (vec!["x"], 2)],
            ),
            (
                "echo x|tee -a f",
                vec![(vec!["echo", "x"], 0), (vec!["tee", "-a", "f"], 0)],
            ),
            (
                "sed -i 's/a/b/' /etc/hosts",
                vec![(vec!["sed", "-i", "s/a/b/", "/etc/hosts"], 0)],
            ),
            ("echo 'a; b | c'", vec![(vec!["echo", "a; b | c"], 0)]),
        ] {
            assert_eq!(words(script), owned(expected), "{script:?}");
        }
    }

    #[test]
    fn redirections_are_read_with_their_targets() {
        let redirects = |script: &str| -> Vec<(String, String, Vec<String>)> {
            parse(script)
                .into_iter()
                .flat_map(|c| {
                    let words = c.words.clone();
                    c.redirects
                        .into_iter()
                        .map(move |r| (r.op, r.target, words.clone()))
                })
                .collect()
        };
        let one = |op: &str, target: &str, words: &[&str]| {
            vec![(
                op.to_string(),
                target.to_string(),
                words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            )]
        };
        for (script, expected) in [
            ("echo x > f", one(">", "f", &["echo", "x"])),
            ("echo x >> f", one(">>", "f", &["echo", "x"])),
            ("echo x>>f", one(">>", "f", &["echo", "x"])),
            ("echo x >| f", one(">|", "f", &["echo", "x"])),
            ("echo x 2> f", one(">", "f", &["echo", "x"])),
            ("echo 12 1>>f", one(">>", "f", &["echo", "12"])),
            ("echo x 2 > f", one(">", "f", &["echo", "x", "2"])),
            ("cmd &> f", one("&>", "f", &["cmd"])),
            ("cmd &>> f", one("&>>", "f", &["cmd"])),
            ("cmd 2>&1", one(">&", "1", &["cmd"])),
            ("tee -a f < in", one("<", "in", &["tee", "-a", "f"])),
            ("> f", one(">", "f", &[])),
            ("echo x > 'my file'", one(">", "my file", &["echo", "x"])),
        ] {
            assert_eq!(redirects(script), expected, "{script:?}");
        }
        assert!(parse("echo x >> f")[0].redirects[0].writes());
        assert!(!parse("cat < f")[0].redirects[0].writes());
    }

    #[test]
    fn here_documents_feed_their_command() {
        let inputs = |script: &str| -> Vec<(Vec<String>, String)> {
            parse(script)
                .into_iter()
                .map(|c| (c.words, c.input))
                .collect()
        };
        let cmd = |words: &[&str], input: &str| {
            (
                words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
                input.to_string(),
            )
        };
        for (script, expected) in [
            (
                "cat <<EOF\na\nb\nEOF\necho next",
                vec![cmd(&["cat"], "a\nb\n"), cmd(&["echo", "next"], "")],
            ),
            ("cat <<'END'\n$x\nEND", vec![cmd(&["cat"], "$x\n")]),
            ("cat <<-END\n\ta\n\tEND\n", vec![cmd(&["cat"], "\ta\n")]),
            // Without `-`, an indented delimiter does not end the document.
            ("cat <<END\n\tEND\nEND", vec![cmd(&["cat"], "\tEND\n")]),
            (
                "cat <<EOF\nunterminated",
                vec![cmd(&["cat"], "unterminated\n")],
            ),
            (
                "cat <<EOF | tee f\nx\nEOF",
                vec![cmd(&["cat"], "x\n"), cmd(&["tee", "f"], "")],
            ),
            ("cat <<A <<B\n1\nA\n2\nB", vec![cmd(&["cat"], "1\n2\n")]),
            ("cat <<< 'one line'", vec![cmd(&["cat"], "one line\n")]),
            ("cat <<EOF\r\nx\r\nEOF\r\n", vec![cmd(&["cat"], "x\r\n")]),
        ] {
            assert_eq!(inputs(script), expected, "{script:?}");
        }
        // The here-document's lines are not commands.
        assert_eq!(parse("cat <<EOF > f\necho 1 >> g\nEOF").len(), 1);
    }

    #[test]
    fn the_script_of_a_shell() {
        let index =
            |argv: &[&str]| script_index(&argv.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        for (argv, expected) in [
            (&["sh", "-c", "x"][..], Some(2)),
            (&["/bin/bash", "-ec", "x"], Some(2)),
            (&["dash", "-x", "-c", "x", "name"], Some(3)),
            (&["zsh", "-o", "errexit", "-c", "x"], Some(4)),
            (&["ash", "+x", "--norc", "-c", "x"], Some(4)),
            (&["ksh", "-c"], None),
            (&["sh", "script.sh"], None),
            (&["sh", "-e", "x"], None),
            (&["python", "-c", "x"], None),
            (&[], None),
        ] {
            assert_eq!(index(argv), expected, "{argv:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panicking(script in "[a-z /<>|&;()`'\"\\\\$=#\n\t\r0-9.-]{0,80}") {
            let commands = parse(&script);
            // Every command has something in it, and pipelines only grow.
            for c in &commands {
                proptest::prop_assert!(!c.words.is_empty() || !c.redirects.is_empty());
            }
            for pair in commands.windows(2) {
                proptest::prop_assert!(pair[0].pipeline <= pair[1].pipeline);
            }
        }
    }
}
