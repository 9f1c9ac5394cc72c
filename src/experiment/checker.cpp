#include "experiment/checker.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace wcs::experiment {

namespace {

// The message of an ExperimentError: the listed problems and a count of the rest.
std::string error_text(const std::vector<std::string>& messages, std::size_t total) {
  std::string text = join(messages, "\n");
  if (total >= kCountedErrors)
    text += fmt::format("\n... and at least {} more problems (the first {} are listed; checking stopped at {})",
                        total - messages.size(), messages.size(), kCountedErrors);
  else if (total > messages.size())
    text += fmt::format("\n... and {} more problems (the first {} are listed)", total - messages.size(), messages.size());
  return text;
}

}  // namespace

ExperimentError::ExperimentError(std::vector<std::string> messages, std::size_t total)
    : InputError(error_text(messages, std::max(total, messages.size()))),
      messages_(std::move(messages)),
      total_(std::max(total, messages_.size())) {}

std::size_t invalid_text_at(std::string_view text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned char c = b[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return i;
      ++i;
      continue;
    }
    // Lead byte: the sequence length and the smallest code point it may encode.
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1fu; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0fu; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07u; min = 0x10000; }
    else return i;
    if (i + len > size) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((b[i + k] & 0xc0u) != 0x80) return i;
      cp = (cp << 6) | (b[i + k] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string::npos;
}

namespace {

// Thrown from the parser's events at the first collection deeper than kMaxNesting.
struct TooDeep {
  YAML::Mark mark;
  std::string path;
};

// Duplicate keys, nesting and documents, from the parser's events: linear in the text
// whatever its aliases (a walk over the node tree would follow every alias again), and
// stopped at the first level too deep, long before the parser's recursion could
// exhaust the stack.
class Structure final : public YAML::EventHandler {
 public:
  explicit Structure(Checker& c) : c_(c) {}
  std::vector<YAML::Mark> documents;

  void OnDocumentStart(const YAML::Mark& m) override { documents.push_back(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { item(m, nullptr); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { item(m, nullptr); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string& value) override {
    item(m, &value);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    item(m, nullptr);
    push(m, false);
  }
  void OnSequenceEnd() override { stack_.pop_back(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    item(m, nullptr);
    push(m, true);
  }
  void OnMapEnd() override { stack_.pop_back(); }

 private:
  struct Frame {
    bool map = false, key_next = false;
    std::map<std::string, YAML::Mark> keys;
    std::string key;        // a map's key of the current value
    std::size_t items = 0;  // a sequence's items so far
  };
  void push(const YAML::Mark& m, bool map) {
    if (stack_.size() >= kMaxNesting) throw TooDeep{m, path()};
    stack_.push_back({map, map, {}, {}, 0});
  }
  // Where the parser is: "problems[0].coefficients[2]".
  std::string path() const {
    std::string out;
    for (const Frame& f : stack_) {
      if (f.map) out += (out.empty() ? "" : ".") + f.key;
      else out += fmt::format("[{}]", f.items == 0 ? 0 : f.items - 1);
    }
    return out.empty() ? "yaml" : out;
  }
  // One key or value of the innermost collection.
  void item(const YAML::Mark& m, const std::string* scalar) {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    if (!f.map) {
      ++f.items;
      return;
    }
    if (f.key_next) {
      f.key = scalar ? *scalar : "?";
      if (scalar) {
        const auto [it, fresh] = f.keys.emplace(*scalar, m);
        if (!fresh) c_.error(m, *scalar, fmt::format("duplicate key (first at line {})", it->second.line + 1));
      }
    }
    f.key_next = !f.key_next;
  }
  Checker& c_;
  std::vector<Frame> stack_;
};

}  // namespace

bool check_structure(Checker& c, const std::string& text) {
  if (const std::size_t at = invalid_text_at(text); at != std::string::npos) {
    const std::size_t last_newline = text.rfind('\n', at);  // text[at] is not one
    YAML::Mark m;
    m.line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    m.column = static_cast<int>(last_newline == std::string::npos ? at : at - last_newline - 1);
    c.error(m, "yaml", fmt::format("byte 0x{:02x} is not UTF-8 text (experiment files are UTF-8, without control characters)",
                                   static_cast<unsigned char>(text[at])));
    return false;
  }
  std::istringstream in(text);
  YAML::Parser parser(in);
  Structure structure(c);
  try {
    while (structure.documents.size() < 2 && parser.HandleNextDocument(structure)) {
    }
  } catch (const TooDeep& e) {
    c.error(e.mark, e.path,
            fmt::format("nesting too deep: more than {} levels of lists and mappings (the limit of an experiment file; "
                        "a valid one needs 5)",
                        kMaxNesting));
    return false;
  } catch (const YAML::Exception& e) {
    c.error(e.mark, "yaml", e.msg);
    return false;
  }
  if (structure.documents.size() > 1)
    c.error(structure.documents[1], "yaml", "a second document: an experiment file holds one document (no second '---')");
  return c.ok();
}

}  // namespace wcs::experiment
