#!/usr/bin/env python3
"""Build-time hashes of C++ sources: the plugin ABI fingerprint and code identities.

    identity.py abi OUTPUT HEADER...
        Writes wcs/abi_fingerprint.hpp: WCS_ABI_HEADERS_HASH, the hash of the core's
        public headers. Every module compiles it into its entry point and the core
        into wcs::abi_fingerprint(); the loader refuses a module built against other
        headers (a struct's layout, a virtual function, an inline function).

    identity.py sources OUTPUT DEPFILE SYMBOL [--define NAME=VALUE]... PATH...
        Writes a C++ file that defines `extern "C" const char SYMBOL[]` (hidden: one
        per module or library) as the hash of the C++ files PATH names (a file, or a
        folder's files except its *_test.cpp) and of the defines given, which stand for
        the compiler flags that change what the code does. DEPFILE lists what was read
        (files and folders, so that a new file counts), for the build to run this again
        when one changes. A strategy's identity is its module's hash and the core's
        (wcs/plugin.hpp): runs of other code are never taken for runs of this code.

The hash is SHA-256 (its first 16 hex digits) over each file's name, relative to the
folder named (so not the checkout's place), and its text as the compiler sees it
without comments and with every run of white space one space (a line break in a
preprocessor line stays one): editing a comment or re-indenting changes no hash, any
other change does. Outputs are rewritten only when their text changes, so that what
includes or compiles them is not rebuilt for nothing.
"""
import hashlib
import os
import sys

SUFFIXES = (".cpp", ".hpp", ".h", ".cc", ".hh", ".cxx", ".inl")
WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
RAW_PREFIXES = ("R", "u8R", "uR", "UR", "LR")


def _word_before(out):
    """The run of identifier or number characters at the end of `out`."""
    i = len(out)
    while i > 0 and out[i - 1] in WORD:
        i -= 1
    return "".join(out[i:])


def _number(word):
    """Whether `word` is a number, so that a ' after it is a digit separator (1'000)."""
    return word[:1].isdigit() or (word[:1] == "." and word[1:2].isdigit())


def _literal_end(text, i, quote):
    """Index after the string or character literal that starts at text[i] == quote."""
    j = i + 1
    while j < len(text) and text[j] != quote and text[j] != "\n":
        j += 2 if text[j] == "\\" else 1
    return min(j + 1, len(text))


def normalised(text):
    """`text` without comments, white space runs made one space (or one line break that
    ends a preprocessor line); string, character and raw string literals untouched."""
    out, space, i, n = [], "", 0, len(text)
    line_start, directive = True, False
    while i < n:
        c = text[i]
        if c in " \t\r\f\v\n":
            if c == "\n":
                if directive and not (out and out[-1] == "\\"):
                    directive = False
                    space = "\n"
                line_start = True
            space = space or " "
            i += 1
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            space = space or " "
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            space = space or " "
            continue
        if space and out:
            out.append(space)
        space = ""
        if line_start and c == "#":
            directive = True
        line_start = False
        if c == '"' and _word_before(out) in RAW_PREFIXES:  # R"delim( ... )delim"
            open_paren = text.find("(", i)
            delimiter = text[i + 1:open_paren] if open_paren >= 0 else ""
            close = text.find(")" + delimiter + '"', open_paren) if open_paren >= 0 else -1
            end = n if close < 0 else close + len(delimiter) + 2
            out.append(text[i:end])
            i = end
        elif c == '"' or (c == "'" and not _number(_word_before(out))):
            end = _literal_end(text, i, c)
            out.append(text[i:end])
            i = end
        else:  # code, or a digit separator (1'000)
            out.append(c)
            i += 1
    return "".join(out)


def files_of(paths):
    """(name, path) of each C++ file: a file as its base name, a folder's files (not
    *_test.cpp) as FOLDER/FILE; sorted by name."""
    found = {}
    for path in paths:
        if os.path.isdir(path):
            folder = os.path.basename(os.path.normpath(path))
            for entry in sorted(os.listdir(path)):
                full = os.path.join(path, entry)
                if entry.endswith(SUFFIXES) and not entry.endswith("_test.cpp") and os.path.isfile(full):
                    found[folder + "/" + entry] = full
        else:
            found[os.path.basename(path)] = path
    return sorted(found.items())


def digest(named_texts):
    """The first 16 hex digits of SHA-256 over (name, text) pairs, each length-prefixed."""
    h = hashlib.sha256()
    for name, text in named_texts:
        for part in (name, text):
            data = part.encode()
            h.update(str(len(data)).encode() + b":" + data + b"\n")
    return h.hexdigest()[:16]


def read(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        return normalised(f.read())


def _make_escaped(path):
    """`path` as a Makefile depfile writes it."""
    return path.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def abi(out, headers):
    value = digest((os.path.basename(h), read(h)) for h in sorted(headers, key=os.path.basename))
    write_if_changed(out, "// Generated by identity.py at build time: do not edit.\n"
                     "// The hash of the core's public headers (wcs/plugin.hpp, WCS_ABI_FINGERPRINT).\n"
                     "#pragma once\n"
                     f'#define WCS_ABI_HEADERS_HASH "{value}"\n')


def sources(out, depfile, symbol, args):
    defines, paths = [], []
    it = iter(args)
    for a in it:
        if a == "--define":
            defines.append(next(it, ""))
        else:
            paths.append(a)
    missing = [p for p in paths if not os.path.exists(p)]
    if missing or not paths or not symbol.isidentifier():
        sys.exit(f"identity.py: sources: nothing to hash, a bad SYMBOL '{symbol}' or a missing path: {missing}")
    files = files_of(paths)
    value = digest([("define", d) for d in sorted(defines)] + [(name, read(path)) for name, path in files])
    write_if_changed(out, "// Generated by identity.py at build time: do not edit.\n"
                     f"// The hash of {len(files)} source files (identity.py's doc says which and how).\n"
                     f'extern "C" __attribute__((visibility("hidden"))) const char {symbol}[] = "{value}";\n')
    read_paths = [p for _, p in files] + [p for p in paths if os.path.isdir(p)]
    write_if_changed(depfile, _make_escaped(out) + ": " + " ".join(_make_escaped(p) for p in read_paths) + "\n")


def main(argv):
    if len(argv) >= 2 and argv[0] == "abi":
        abi(argv[1], argv[2:])
    elif len(argv) >= 4 and argv[0] == "sources":
        sources(argv[1], argv[2], argv[3], argv[4:])
    else:
        sys.exit("usage: identity.py abi OUTPUT HEADER... | identity.py sources OUTPUT DEPFILE SYMBOL "
                 "[--define NAME=VALUE]... PATH...")


if __name__ == "__main__":
    main(sys.argv[1:])
