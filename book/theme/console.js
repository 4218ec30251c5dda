// Commands in console blocks (`$ cargo run ... -- --count 5 --tick 0`).
//
// On a narrow screen a long command wraps (pipes.css wraps console blocks
// rather than scroll them), and a browser may break a line after any hyphen:
// `--count 5 --` on one line and `tick 0` on the next reads as two other
// words. So each word of a command is kept whole, and the lines break only
// between words. highlight.js has already run (book.js comes first); its
// marks inside a command, such as `read` in `--read-size` coloured as a shell
// builtin, go too. The copy button copies the same text as before.
(function () {
    document.querySelectorAll("code.language-console span.bash").forEach(function (command) {
        var parts = command.textContent.split(/(\s+)/);
        command.textContent = "";
        parts.forEach(function (part) {
            if (part === "" || /^\s+$/.test(part)) {
                command.appendChild(document.createTextNode(part));
            } else {
                var word = document.createElement("span");
                word.className = "word";
                word.textContent = part;
                command.appendChild(word);
            }
        });
    });
})();
