// snippets_extract: turns every C++ example in weft's docs and public
// headers into one translation unit, so that a build compiles them all
// (//docs:snippets_test), as rustdoc does for tokio's.
//
//   snippets_extract OUT.cc OUT_COUNT.txt FILE...
//
// What counts as a C++ example (docs/README.md, "Examples compile"):
//   Markdown   a fenced block whose info string is `cpp`. Every fence must
//              name its language (```text for a diagram), so that no C++
//              block goes unnoticed. An HTML comment right before the
//              fence, `<!-- snippet: ... -->`, holds context lines the
//              reader does not need (declarations the example uses).
//   headers    a run of comment lines indented three spaces (`//   `, the
//              lines .clang-format never reflows) in which some line, its
//              trailing `//` comment cut, ends in `;`, `{` or `}`. Tables
//              and diagrams use the same indentation and end no line so.
//
// A block with a declaration at its left edge (a function, a type, an
// #include) is compiled as it stands, at namespace scope; any other block
// is a fragment, the body of a coroutine returning Task<absl::Status>
// (Task<> if it has a bare `co_return;`).
// Names the examples use without declaring them come from
// docs/snippets_prelude.h. Each block gets its own namespace, and #line
// directives, so that a compile error names the doc or header and line.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Snippet {
  std::string file;
  int first_line = 0;  // 1-based line of the block's first code line
  std::vector<std::string> context;  // hidden lines, at namespace scope
  int context_line = 0;
  std::vector<std::string> lines;
};

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// The line without a trailing `// comment` (one outside a string literal).
std::string CodePart(const std::string& line) {
  bool in_string = false;
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) {
      in_string = !in_string;
    }
    if (!in_string && line[i] == '/' && line[i + 1] == '/') {
      return Trim(line.substr(0, i));
    }
  }
  return Trim(line);
}

bool LooksLikeCode(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    std::string code = CodePart(line);
    if (EndsWith(code, ";") || EndsWith(code, "{") || EndsWith(code, "}")) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "snippets_extract: cannot read " << path << "\n";
    std::exit(1);
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Fails the build on a fence without a language: it could hide C++.
void FromMarkdown(const std::string& path, std::vector<Snippet>& out) {
  const std::vector<std::string> lines = ReadLines(path);
  static const std::regex kFence(R"(^( *)```(\S*)\s*$)");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, kFence)) continue;
    const size_t indent = m[1].length();
    const std::string lang = m[2];
    if (lang.empty()) {
      std::cerr << path << ":" << i + 1
                << ": a fence names no language (```cpp, ```sh, ```text)\n";
      std::exit(1);
    }
    Snippet snippet{path, static_cast<int>(i) + 2, {}, 0, {}};
    size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      if (Trim(lines[j]) == "```") break;
      snippet.lines.push_back(
          lines[j].size() >= indent ? lines[j].substr(indent) : Trim(lines[j]));
    }
    if (j == lines.size()) {
      std::cerr << path << ":" << i + 1 << ": an unclosed fence\n";
      std::exit(1);
    }
    if (lang == "cpp") {
      // Hidden context: an HTML comment ending right before the fence.
      size_t k = i;
      while (k > 0 && Trim(lines[k - 1]).empty()) --k;
      if (k > 0 && Trim(lines[k - 1]) == "-->") {
        size_t open = k - 1;
        while (open > 0 && Trim(lines[open]) != "<!-- snippet:") --open;
        if (Trim(lines[open]) == "<!-- snippet:") {
          snippet.context.assign(lines.begin() + open + 1,
                                 lines.begin() + (k - 1));
          snippet.context_line = static_cast<int>(open) + 2;
        }
      }
      out.push_back(std::move(snippet));
    }
    i = j;
  }
}

void FromHeader(const std::string& path, std::vector<Snippet>& out,
                int& tables) {
  const std::vector<std::string> lines = ReadLines(path);
  static const std::regex kCode(R"(^\s*//   (.*)$)");
  static const std::regex kBlank(R"(^\s*//\s*$)");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, kCode)) continue;
    Snippet snippet{path, static_cast<int>(i) + 1, {}, 0, {}};
    size_t j = i;
    for (; j < lines.size(); ++j) {
      std::smatch code;
      if (std::regex_match(lines[j], code, kCode)) {
        snippet.lines.push_back(code[1]);
      } else if (std::regex_match(lines[j], kBlank) && j + 1 < lines.size() &&
                 std::regex_match(lines[j + 1], kCode)) {
        snippet.lines.push_back("");
      } else {
        break;
      }
    }
    if (LooksLikeCode(snippet.lines)) {
      out.push_back(std::move(snippet));
    } else {
      ++tables;
    }
    i = j;
  }
}

// A declaration at the block's left edge that a function body cannot
// hold: compiled at namespace scope. A struct alone is not one: a class
// local to the fragment's function is fine.
bool IsTranslationUnit(const Snippet& snippet) {
  static const std::regex kDeclaration(
      R"(^(#include|namespace |template *<|using ).*)");
  static const std::regex kFunctionHead(
      R"(^[A-Za-z_][\w:<>, ]*[ *&]+[A-Za-z_]\w*\(([^;]*|[^;]*\)[^;=]*\{.*)$)");
  static const std::regex kStatement(
      R"(^(for|while|if|switch|do|return|co_return|co_await|else)\b.*)");
  for (const std::string& line : snippet.lines) {
    if (std::regex_match(line, kStatement)) continue;
    if (std::regex_match(line, kDeclaration) ||
        std::regex_match(line, kFunctionHead)) {
      return true;
    }
  }
  return false;
}

void Emit(const std::vector<Snippet>& snippets, std::ostream& out) {
  out << "// Generated by docs/snippets_extract.cc: every C++ example in the\n"
         "// docs and public headers. Do not edit; edit the example.\n"
         // #line puts the examples outside the main file, where g++ warns
         // that a coroutine frame holds a local type (it has no linkage);
         // before the includes, for the templates instantiated from them.
         "#if defined(__GNUC__) && !defined(__clang__)\n"
         "#pragma GCC diagnostic ignored \"-Wsubobject-linkage\"\n"
         "#endif\n"
         // An example shows a call, not a program: it may leave a variable
         // unused. (Here, not in copts: the build's -Wall comes after those.)
         "#pragma GCC diagnostic ignored \"-Wunused-variable\"\n"
         "#pragma GCC diagnostic ignored \"-Wunused-but-set-variable\"\n"
         "#pragma GCC diagnostic ignored \"-Wunused-parameter\"\n"
         "#include \"docs/snippets_prelude.h\"\n";
  std::set<std::string> includes;
  for (const Snippet& snippet : snippets) {
    for (const std::string& line : snippet.lines) {
      if (line.rfind("#include", 0) == 0) includes.insert(line);
    }
  }
  for (const std::string& include : includes) out << include << "\n";
  out << "namespace weft_snippets {\n";
  int index = 0;
  for (const Snippet& snippet : snippets) {
    out << "namespace snippet" << ++index << " {\n";
    if (!snippet.context.empty()) {
      out << "#line " << snippet.context_line << " \"" << snippet.file
          << "\"\n";
      for (const std::string& line : snippet.context) out << line << "\n";
    }
    const bool whole = IsTranslationUnit(snippet);
    // A fragment that ends with a bare `co_return;` is the body of a
    // Task<>; any other, of a Task<absl::Status> (CO_RETURN_IF_ERROR).
    static const std::regex kReturnVoid(R"(\bco_return;)");
    const bool returns_void =
        !whole && std::any_of(snippet.lines.begin(), snippet.lines.end(),
                              [](const std::string& line) {
                                return std::regex_search(line, kReturnVoid);
                              });
    if (!whole) {
      out << (returns_void ? "Task<> Fragment() {\n"
                           : "Task<absl::Status> Fragment() {\n");
    }
    out << "#line " << snippet.first_line << " \"" << snippet.file << "\"\n";
    for (std::string line : snippet.lines) {
      if (line.rfind("#include", 0) == 0) line = "";  // hoisted above
      // A program's main, in a namespace of its own.
      static const std::regex kMain(R"(\bint main\()");
      out << std::regex_replace(line, kMain, "int Main_(") << "\n";
    }
    if (!whole)
      out << (returns_void ? "}\n" : "co_return absl::OkStatus();\n}\n");
    out << "}  // namespace snippet" << index << "\n";
  }
  out << "}  // namespace weft_snippets\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: snippets_extract OUT.cc OUT_COUNT.txt FILE...\n";
    return 2;
  }
  std::vector<Snippet> snippets;
  int tables = 0;
  for (int i = 3; i < argc; ++i) {
    const std::string path = argv[i];
    if (EndsWith(path, ".md")) {
      FromMarkdown(path, snippets);
    } else {
      FromHeader(path, snippets, tables);
    }
  }
  std::ofstream cc(argv[1]);
  Emit(snippets, cc);
  std::ofstream count(argv[2]);
  count << "compiled " << snippets.size() << " of " << snippets.size()
        << " snippets (" << argc - 3 << " files; " << tables
        << " comment tables and diagrams, not code)\n";
  return cc && count ? 0 : 1;
}
