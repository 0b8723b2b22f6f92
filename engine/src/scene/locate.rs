//! Finds where a value sits in a RON text, given its path (`populations[1].params.tau_m`), so
//! that errors found after parsing (unknown model, bad value, unknown population) report the
//! file's line and column.
//!
//! It is a tolerant reader of RON's shapes only (structs, tuples, lists, maps, atoms, comments);
//! the `ron` crate does the real parsing, and its own errors carry their positions already.

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column (in characters), from 1.
    pub col: usize,
}

#[derive(Debug)]
enum Kind {
    /// `Name(field: v, ...)`, `(a, b)`, `Some(x)`, `variant(..)`.
    Struct {
        fields: Vec<(String, Pos, Node)>,
        items: Vec<Node>,
    },
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Atom(String),
}

#[derive(Debug)]
struct Node {
    pos: Pos,
    kind: Kind,
}

struct Reader<'a> {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
    depth: usize,
    _src: &'a str,
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Self {
        Self {
            chars: src.chars().collect(),
            i: 0,
            line: 1,
            col: 1,
            depth: 0,
            _src: src,
        }
    }
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    fn peek2(&self) -> Option<char> {
        self.chars.get(self.i + 1).copied()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }
    fn skip_ws(&mut self) {
        loop {
            match (self.peek(), self.peek2()) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.bump(), self.peek()) {
                            (None, _) => return,
                            (Some('*'), Some('/')) => {
                                self.bump();
                                depth -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                depth += 1;
                            }
                            _ => {}
                        }
                    }
                }
                (Some('#'), Some('!')) => {
                    // `#![enable(...)]` attribute.
                    while let Some(c) = self.bump() {
                        if c == ']' {
                            break;
                        }
                    }
                }
                _ => return,
            }
        }
    }
    fn ident(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' || c == '#' {
                s.push(c);
                self.bump();
            } else {
                break;
            }
        }
        s
    }
    fn string(&mut self) -> String {
        // At the opening quote.
        let mut s = String::new();
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(e) = self.bump() {
                        s.push(e);
                    }
                }
                '"' => break,
                c => s.push(c),
            }
        }
        s
    }
    // Long by design: a hand-written RON value scanner (one arm per token kind).
    fn value(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > 256 {
            return None;
        }
        self.skip_ws();
        let pos = self.pos();
        let c = self.peek()?;
        let node = match c {
            '"' => Node {
                pos,
                kind: Kind::Atom(self.string()),
            },
            '\'' => {
                self.bump();
                let mut s = String::new();
                while let Some(c) = self.bump() {
                    if c == '\'' {
                        break;
                    }
                    s.push(c);
                }
                Node {
                    pos,
                    kind: Kind::Atom(s),
                }
            }
            '[' => {
                self.bump();
                let mut v = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => break,
                        Some(']') => {
                            self.bump();
                            break;
                        }
                        Some(',') => {
                            self.bump();
                        }
                        _ => match self.value() {
                            Some(n) => v.push(n),
                            None => break,
                        },
                    }
                }
                Node {
                    pos,
                    kind: Kind::List(v),
                }
            }
            '{' => {
                self.bump();
                let mut v = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => break,
                        Some('}') => {
                            self.bump();
                            break;
                        }
                        Some(',') => {
                            self.bump();
                        }
                        _ => {
                            let Some(k) = self.value() else { break };
                            self.skip_ws();
                            if self.peek() == Some(':') {
                                self.bump();
                            }
                            let Some(val) = self.value() else { break };
                            v.push((k, val));
                        }
                    }
                }
                Node {
                    pos,
                    kind: Kind::Map(v),
                }
            }
            '(' => self.tuple(pos),
            c if c.is_alphabetic() || c == '_' => {
                // `r"raw"` strings.
                if c == 'r' && matches!(self.peek2(), Some('"') | Some('#')) {
                    self.bump();
                    let mut hashes = 0;
                    while self.peek() == Some('#') {
                        self.bump();
                        hashes += 1;
                    }
                    let mut s = String::new();
                    self.bump();
                    'outer: while let Some(c) = self.bump() {
                        if c == '"' {
                            let mut k = 0;
                            while k < hashes && self.peek() == Some('#') {
                                self.bump();
                                k += 1;
                            }
                            if k == hashes {
                                break 'outer;
                            }
                        }
                        s.push(c);
                    }
                    return Some(Node {
                        pos,
                        kind: Kind::Atom(s),
                    });
                }
                let name = self.ident();
                self.skip_ws();
                if self.peek() == Some('(') {
                    self.tuple(pos)
                } else {
                    Node {
                        pos,
                        kind: Kind::Atom(name),
                    }
                }
            }
            _ => {
                // Numbers and anything else up to a delimiter.
                let mut s = String::new();
                while let Some(c) = self.peek() {
                    if c.is_alphanumeric() || "+-._".contains(c) {
                        s.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                if s.is_empty() {
                    self.bump();
                }
                Node {
                    pos,
                    kind: Kind::Atom(s),
                }
            }
        };
        self.depth -= 1;
        Some(node)
    }
    /// `( ... )`, at the opening parenthesis.
    fn tuple(&mut self, pos: Pos) -> Node {
        self.bump();
        let mut fields = Vec::new();
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => break,
                Some(')') => {
                    self.bump();
                    break;
                }
                Some(',') => {
                    self.bump();
                }
                Some(c) if c.is_alphabetic() || c == '_' => {
                    // `name: value` or a positional value starting with an identifier.
                    let save = (self.i, self.line, self.col);
                    let npos = self.pos();
                    let name = self.ident();
                    self.skip_ws();
                    if self.peek() == Some(':') {
                        self.bump();
                        match self.value() {
                            Some(v) => fields.push((name, npos, v)),
                            None => break,
                        }
                    } else {
                        (self.i, self.line, self.col) = save;
                        match self.value() {
                            Some(v) => items.push(v),
                            None => break,
                        }
                    }
                }
                _ => match self.value() {
                    Some(v) => items.push(v),
                    None => break,
                },
            }
        }
        Node {
            pos,
            kind: Kind::Struct { fields, items },
        }
    }
}

enum Step<'p> {
    Field(&'p str),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Field(name));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(k) = rest[1..end].parse() {
                out.push(Step::Index(k));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

fn child<'n>(node: &'n Node, step: &Step) -> Option<(Pos, &'n Node)> {
    match (&node.kind, step) {
        (Kind::Struct { fields, items }, Step::Field(f)) => {
            if let Some((_, p, v)) = fields.iter().find(|(n, _, _)| n == f) {
                return Some((*p, v));
            }
            // See through wrappers with one positional item: `Some(x)`, `variant(x)`.
            if fields.is_empty() && items.len() == 1 {
                return child(&items[0], step);
            }
            None
        }
        (Kind::Struct { items, fields }, Step::Index(k)) => {
            if fields.is_empty()
                && items.len() == 1
                && !matches!(items[0].kind, Kind::Atom(_))
                && let Some(c) = child(&items[0], step)
            {
                return Some(c);
            }
            items.get(*k).map(|n| (n.pos, n))
        }
        (Kind::List(v), Step::Index(k)) => v.get(*k).map(|n| (n.pos, n)),
        (Kind::Map(v), Step::Field(f)) => v
            .iter()
            .find(|(k, _)| matches!(&k.kind, Kind::Atom(a) if a == f))
            .map(|(k, val)| (k.pos, val)),
        _ => None,
    }
}

/// The position of `path` in `src`: the deepest part of the path that exists (a missing field
/// points at its parent). `None` if the text does not parse as RON at all.
pub fn locate(src: &str, path: &str) -> Option<Pos> {
    let mut r = Reader::new(src);
    let root = r.value()?;
    let mut node = &root;
    let mut pos = root.pos;
    for step in parse_path(path) {
        match child(node, &step) {
            Some((p, n)) => {
                pos = p;
                node = n;
            }
            None => break,
        }
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"// a scene
Scene(
    dt: 0.1,
    populations: [
        (name: "a", model: "LIFNeuron", size: 10),
        (
            name: "b",
            model: "LIFNeuron",
            size: 5,
            params: {"tau_m": -1.0, /* note */ "v_rest": normal(mean: 1, std: 2)},
            position: Some(grid(shape: (5, 1, 1), spacing: (1, 1, 1))),
        ),
    ],
    projections: [(source: "a", target: "c", rule: fixed_indegree(k: 3))],
)
"#;

    #[test]
    fn finds_fields_indices_map_keys_and_wrapped_values() {
        assert_eq!(locate(SRC, "dt"), Some(Pos { line: 3, col: 5 }));
        assert_eq!(
            locate(SRC, "populations[1].size"),
            Some(Pos { line: 9, col: 13 })
        );
        assert_eq!(
            locate(SRC, "populations[1].params.tau_m"),
            Some(Pos { line: 10, col: 22 })
        );
        assert_eq!(
            locate(SRC, "populations[1].params.v_rest"),
            Some(Pos { line: 10, col: 48 })
        );
        assert_eq!(
            locate(SRC, "populations[1].position.shape"),
            Some(Pos { line: 11, col: 33 })
        );
        assert_eq!(
            locate(SRC, "projections[0].target"),
            Some(Pos { line: 14, col: 33 })
        );
        assert_eq!(
            locate(SRC, "projections[0].rule.k"),
            Some(Pos { line: 14, col: 67 })
        );
        // A field that is absent points at its parent.
        assert_eq!(
            locate(SRC, "populations[0].params.tau_m"),
            Some(Pos { line: 5, col: 9 })
        );
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "(",
            "((((((",
            "[1, 2",
            "{\"a\": ",
            "/* unclosed",
            "r#\"x",
            "'",
            "#![x",
        ] {
            let _ = locate(s, "a.b[3].c");
        }
        let deep = "(".repeat(10_000);
        let _ = locate(&deep, "a");
    }
}
