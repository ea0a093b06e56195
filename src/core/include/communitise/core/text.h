// Small text helpers every layer shares: trimming, ASCII case folding and UTF-8 checks.
// Pure functions; thread-safe.
#ifndef COMMUNITISE_CORE_TEXT_H_
#define COMMUNITISE_CORE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace communitise {

// Trims ASCII whitespace at both ends.
std::string Trim(std::string_view s);
// ASCII lower case; other bytes are left as they are.
std::string AsciiLower(std::string_view s);
// Number of Unicode code points in UTF-8 text (for length limits people understand).
size_t CharCount(std::string_view utf8);
// True for well-formed UTF-8 without NUL bytes (no overlong forms, surrogates or code
// points past U+10FFFF): what both databases accept as TEXT.
bool ValidUtf8(std::string_view text);
// The lines of a text box or file, split at '\n' with any '\r' before it removed. A
// final line without '\n' counts; an empty text has no lines.
std::vector<std::string> Lines(std::string_view text);

}  // namespace communitise

#endif  // COMMUNITISE_CORE_TEXT_H_
