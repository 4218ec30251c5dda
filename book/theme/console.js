// Commands and names in code keep their words whole when a line wraps.
//
// A browser may break a line after any hyphen: `--count 5 --` on one line
// and `tick 0` on the next reads as two other words. So each word is put in
// a <span class="word"> that pipes.css keeps on one line, and the lines
// break only between words (and, in a long name, after a `/`, `::` or `(`).
// The text stays the same: the copy button, search and selection see what
// they saw before.
(function () {
    function word(text) {
        var span = document.createElement("span");
        span.className = "word";
        span.textContent = text;
        return span;
    }

    // Console blocks (`$ cargo run ... -- --count 5 --tick 0`): pipes.css
    // wraps them rather than scroll them. highlight.js has already run
    // (book.js comes first); its marks inside a command, such as `read` in
    // `--read-size` coloured as a shell builtin, go too.
    document.querySelectorAll("code.language-console span.bash").forEach(function (command) {
        var parts = command.textContent.split(/(\s+)/);
        command.textContent = "";
        parts.forEach(function (part) {
            if (part === "" || /^\s+$/.test(part)) {
                command.appendChild(document.createTextNode(part));
            } else {
                command.appendChild(word(part));
            }
        });
    });

    // The rest of a console block is output (and the second line of a
    // command continued with `\`), and so is a text block: there an option
    // is kept whole too (`no --count the writer`, `for '--tick <DURATION>'`).
    // Only words of up to 30 letters: a longer one, such as a run of
    // messages (`[b"Spam 000Spam 001..."]`), still breaks anywhere rather
    // than scroll.
    document.querySelectorAll("code.language-console, code.language-text").forEach(function (code) {
        var texts = [];
        var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            var node = walker.currentNode;
            if (/\S/.test(node.data) && !node.parentNode.closest(".word, span.bash")) {
                texts.push(node);
            }
        }
        texts.forEach(function (node) {
            var fragment = document.createDocumentFragment();
            node.data.split(/(\s+)/).forEach(function (part) {
                if (part === "") {
                    return;
                }
                if (/^\s+$/.test(part) || part.length > 30) {
                    fragment.appendChild(document.createTextNode(part));
                } else {
                    fragment.appendChild(word(part));
                }
            });
            node.parentNode.replaceChild(fragment, node);
        });
    });

    // Code in the text, the tables and the sidebar: `--late-reader`,
    // `pipe2 --count 300000 --tick 0`, `BufReader::new(File::from(pipein))`.
    // A line breaks between words. A long name may also break after a `/`
    // (not a leading one), a `::` or a `(`, where a name follows (so never in
    // `write(2)`), and before a `.` or `[` that follows a `)`, as rustfmt
    // breaks a chain (`pipein.readline()` then `[:-1]`); never in an option
    // (`--read-size`).
    // A part longer than 30 letters, such as the name of a test
    // (`flat_out_every_read_is_still_exactly_one_message`), may still break
    // anywhere: on a phone it would not fit on a line.
    function breakable(token) {
        if (token.charAt(0) === "-") {
            return [token];
        }
        return token.split(/(?<=[^/]\/|::|\()(?=[A-Za-z_&|{<])|(?<=\))(?=[.[])/);
    }

    // In the narrow cells of a table (the speed chapter's commands, the
    // appendix's first columns) a piece of more than 16 letters may break
    // once more: after a `-` inside it (`pipe2-12000-` then
    // `tick-100us.jsonl`) and before a `.` between two names (`sys.stdin`
    // then `.readline()`); still never in an option. Kept whole, such
    // pieces made the speed chapter's tables scroll sideways on a phone,
    // and ran into the next column of the appendix's table.
    function breakableInCell(token) {
        var pieces = [];
        breakable(token).forEach(function (piece) {
            if (piece.length > 16 && piece.charAt(0) !== "-") {
                pieces = pieces.concat(piece.split(/(?<=[^-]-)(?=[A-Za-z0-9])|(?<=[A-Za-z_])(?=\.[A-Za-z_])/));
            } else {
                pieces.push(piece);
            }
        });
        return pieces;
    }

    document.querySelectorAll(".content code, .sidebar code").forEach(function (code) {
        if (code.closest("pre") || code.children.length > 0) {
            return;
        }
        var cell = code.closest(".measures td, .calls td") !== null;
        var parts = code.textContent.split(/(\s+)/);
        code.textContent = "";
        parts.forEach(function (part) {
            if (part === "") {
                return;
            }
            if (/^\s+$/.test(part)) {
                code.appendChild(document.createTextNode(part));
                return;
            }
            (cell ? breakableInCell(part) : breakable(part)).forEach(function (piece, i) {
                if (i > 0) {
                    code.appendChild(document.createElement("wbr"));
                }
                code.appendChild(piece.length > 30 ? document.createTextNode(piece) : word(piece));
            });
        });
    });
})();
