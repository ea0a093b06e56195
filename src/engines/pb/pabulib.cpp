// pabulib reader and writer. The reader is a single pass over the text: a small
// CSV tokenizer (';' separated, '"' quoted, records may span lines inside quotes)
// feeds a section state machine (META, PROJECTS, VOTES).
#include <algorithm>
#include <charconv>
#include <string>
#include <unordered_map>
#include <utility>

#include "communitise/pb/election.h"

namespace communitise::pb {
namespace {

constexpr int kMaxCostDecimals = 6;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsNone(std::string_view s) {
  s = Trim(s);
  return s.empty() || s == "None" || s == "none" || s == "NULL" || s == "null";
}

std::optional<int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// A non-negative decimal number written with '.' or ',' as the decimal separator.
struct Decimal {
  int64_t mantissa = 0;  // value * 10^decimals
  int decimals = 0;
};

std::optional<Decimal> ParseDecimal(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  Decimal d;
  bool seen_digit = false;
  bool seen_point = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (d.mantissa > (INT64_MAX - 9) / 10) return std::nullopt;
      d.mantissa = d.mantissa * 10 + (c - '0');
      seen_digit = true;
      if (seen_point) ++d.decimals;
    } else if ((c == '.' || c == ',') && !seen_point) {
      seen_point = true;
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  // Trailing zeros after the point carry no information ("1500.00").
  while (d.decimals > 0 && d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    --d.decimals;
  }
  return d;
}

std::optional<int64_t> ScaleDecimal(Decimal d, int decimals) {
  __int128 v = d.mantissa;
  for (int i = d.decimals; i < decimals; ++i) {
    v *= 10;
    if (v > INT64_MAX) return std::nullopt;
  }
  return static_cast<int64_t>(v);
}

// Splits a record of the text into cells. Tracks line numbers for messages.
class Tokenizer {
 public:
  // Bytes not yet read.
  size_t remaining() const { return text_.size() - std::min(pos_, text_.size()); }

  explicit Tokenizer(std::string_view text) : text_(text) {
    if (text_.size() >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF &&
        static_cast<unsigned char>(text_[1]) == 0xBB &&
        static_cast<unsigned char>(text_[2]) == 0xBF) {
      pos_ = 3;
    }
  }

  // Reads the next record into `cells`; false at the end of the text. A record of
  // one empty cell is a blank line. Returns an error message in `error` for an
  // unterminated quote.
  // Capacity to reserve for a record (the current header's width).
  void set_expected_cells(size_t n) { expected_cells_ = n; }

  // True if the first cell of the last record was quoted (so it is never a section).
  bool first_quoted() const { return first_quoted_; }

  bool Next(std::vector<std::string>& cells, int& line, std::string& error) {
    cells.clear();
    cells.reserve(expected_cells_);
    first_quoted_ = pos_ < text_.size() && text_[pos_] == '"';
    if (pos_ >= text_.size()) return false;
    line = line_;
    std::string cell;
    while (true) {
      cell.clear();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ++pos_;
        bool closed = false;
        while (pos_ < text_.size()) {
          char c = text_[pos_];
          if (c == '"') {
            if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
              cell.push_back('"');
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          if (c == '\n') ++line_;
          cell.push_back(c);
          ++pos_;
        }
        if (!closed) {
          error = "unterminated quoted cell";
          return true;
        }
        // Anything between the closing quote and the separator is kept as written.
        while (pos_ < text_.size() && text_[pos_] != ';' && text_[pos_] != '\n') {
          if (text_[pos_] != '\r') cell.push_back(text_[pos_]);
          ++pos_;
        }
      } else {
        size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ';' && text_[pos_] != '\n') ++pos_;
        std::string_view raw = text_.substr(start, pos_ - start);
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        cell.assign(raw);
      }
      cells.emplace_back(std::move(cell));
      cell = std::string();
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == ';') {
        ++pos_;
        continue;
      }
      ++pos_;  // '\n'
      ++line_;
      break;
    }
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  bool first_quoted_ = false;
  size_t expected_cells_ = 4;
};

enum class Section { kNone, kMeta, kProjects, kVotes };

std::optional<Section> SectionOf(const std::vector<std::string>& cells) {
  // A section line holds only its name, sometimes followed by empty cells.
  for (size_t i = 1; i < cells.size(); ++i) {
    if (!Trim(cells[i]).empty()) return std::nullopt;
  }
  std::string_view name = Trim(cells[0]);
  if (name == "META") return Section::kMeta;
  if (name == "PROJECTS") return Section::kProjects;
  if (name == "VOTES") return Section::kVotes;
  return std::nullopt;
}

bool IsBlank(const std::vector<std::string>& cells) {
  for (const auto& c : cells) {
    if (!Trim(c).empty()) return false;
  }
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view file_name)
      : tokenizer_(text), file_name_(file_name) {}

  Result<Election> Run();

 private:
  Error Fail(int line, std::string_view what) const {
    std::string msg(file_name_);
    msg += ':';
    msg += std::to_string(line);
    msg += ": ";
    msg += what;
    return Error::InvalidArgument(std::move(msg));
  }
  Status HandleHeader(Section section, std::vector<std::string>& cells, int line);
  Status HandleMeta(const std::vector<std::string>& cells, int line);
  Status HandleProject(std::vector<std::string>& cells, int line);
  Status HandleVoter(std::vector<std::string>& cells, int line);
  Status Finish();

  Tokenizer tokenizer_;
  std::string_view file_name_;
  Election e_;
  bool seen_meta_ = false, seen_projects_ = false, seen_votes_ = false;
  int project_id_col_ = -1, cost_col_ = -1, votes_col_ = -1, score_col_ = -1,
      selected_col_ = -1;
  int voter_id_col_ = -1, vote_col_ = -1, points_col_ = -1;
  std::vector<Decimal> raw_costs_;
  std::vector<int> cost_lines_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, int, Hash, std::equal_to<>> project_index_;
  int budget_line_ = 0;
};

Status Parser::HandleHeader(Section section, std::vector<std::string>& cells, int line) {
  for (auto& c : cells) c = std::string(Trim(c));
  if (section == Section::kMeta) {
    if (cells.size() < 2 || cells[0] != "key" || cells[1] != "value") {
      return Fail(line, "META header must be key;value");
    }
    return Status::Ok();
  }
  auto find = [&](std::string_view name) {
    auto it = std::find(cells.begin(), cells.end(), name);
    return it == cells.end() ? -1 : static_cast<int>(it - cells.begin());
  };
  for (size_t i = 0; i < cells.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (cells[i] == cells[j]) return Fail(line, "column '" + cells[i] + "' appears twice");
    }
  }
  if (section == Section::kProjects) {
    e_.project_columns = cells;
    project_id_col_ = find("project_id");
    cost_col_ = find("cost");
    votes_col_ = find("votes");
    score_col_ = find("score");
    selected_col_ = find("selected");
    if (project_id_col_ < 0) return Fail(line, "PROJECTS has no project_id column");
    if (cost_col_ < 0) return Fail(line, "PROJECTS has no cost column");
  } else {
    e_.voter_columns = cells;
    voter_id_col_ = find("voter_id");
    vote_col_ = find("vote");
    points_col_ = find("points");
    if (voter_id_col_ < 0) return Fail(line, "VOTES has no voter_id column");
    if (vote_col_ < 0) return Fail(line, "VOTES has no vote column");
  }
  return Status::Ok();
}

Status Parser::HandleMeta(const std::vector<std::string>& cells, int line) {
  std::string key(Trim(cells[0]));
  std::string value = cells.size() > 1 ? cells[1] : std::string();
  // A value holding ';' arrives split: the remaining cells belong to it.
  for (size_t i = 2; i < cells.size(); ++i) {
    if (i == cells.size() - 1 && cells[i].empty()) break;
    value += ';';
    value += cells[i];
  }
  if (key.empty()) return Fail(line, "META line without a key");
  for (const auto& [k, v] : e_.meta) {
    if (k == key) return Fail(line, "META key '" + key + "' appears twice");
  }
  if (key == "budget") budget_line_ = line;
  e_.meta.emplace_back(std::move(key), std::move(value));
  return Status::Ok();
}

Status Parser::HandleProject(std::vector<std::string>& cells, int line) {
  if (cells.size() != e_.project_columns.size()) {
    return Fail(line, "project line has " + std::to_string(cells.size()) + " cells, header has " +
                          std::to_string(e_.project_columns.size()));
  }
  Project p;
  p.id = std::string(Trim(cells[project_id_col_]));
  if (p.id.empty()) return Fail(line, "empty project_id");
  if (p.id.find(',') != std::string::npos) return Fail(line, "project_id contains a comma");
  auto cost = ParseDecimal(cells[cost_col_]);
  if (!cost) return Fail(line, "cost '" + cells[cost_col_] + "' is not a non-negative number");
  if (cost->decimals > kMaxCostDecimals) return Fail(line, "cost has too many decimal places");
  auto optional_int = [&](int col, std::optional<int64_t>& out) -> Status {
    if (col < 0 || IsNone(cells[col])) return Status::Ok();
    out = ParseInt(cells[col]);
    if (!out) {
      return Fail(line, e_.project_columns[col] + " '" + cells[col] + "' is not a whole number");
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(optional_int(votes_col_, p.votes));
  RETURN_IF_ERROR(optional_int(score_col_, p.score));
  std::optional<int64_t> selected;
  RETURN_IF_ERROR(optional_int(selected_col_, selected));
  if (selected) {
    if (*selected < 0 || *selected > 9) return Fail(line, "selected must be a small number");
    p.selected = static_cast<int>(*selected);
  }
  if (!project_index_.emplace(p.id, static_cast<int>(e_.projects.size())).second) {
    return Fail(line, "project '" + p.id + "' appears twice");
  }
  cells[project_id_col_].clear();
  cells[cost_col_].clear();
  p.cells = std::move(cells);
  raw_costs_.push_back(*cost);
  cost_lines_.push_back(line);
  e_.projects.push_back(std::move(p));
  return Status::Ok();
}

Status Parser::HandleVoter(std::vector<std::string>& cells, int line) {
  if (cells.size() != e_.voter_columns.size()) {
    return Fail(line, "vote line has " + std::to_string(cells.size()) + " cells, header has " +
                          std::to_string(e_.voter_columns.size()));
  }
  Voter v;
  v.id = std::string(Trim(cells[voter_id_col_]));
  if (v.id.empty()) return Fail(line, "empty voter_id");
  std::string_view vote = cells[vote_col_];
  if (!IsNone(vote)) {
    size_t start = 0;
    while (start <= vote.size()) {
      size_t comma = vote.find(',', start);
      if (comma == std::string_view::npos) comma = vote.size();
      std::string_view id = Trim(vote.substr(start, comma - start));
      auto it = project_index_.find(id);
      if (it == project_index_.end()) {
        return Fail(line, "vote names unknown project '" + std::string(id) + "'");
      }
      if (std::find(v.vote.begin(), v.vote.end(), it->second) != v.vote.end()) {
        return Fail(line, "vote names project '" + std::string(id) + "' twice");
      }
      v.vote.push_back(it->second);
      start = comma + 1;
    }
  }
  if (points_col_ >= 0 && !(IsNone(cells[points_col_]) && v.vote.empty())) {
    std::string_view pts = cells[points_col_];
    size_t start = 0;
    while (start <= pts.size()) {
      size_t comma = pts.find(',', start);
      if (comma == std::string_view::npos) comma = pts.size();
      auto value = ParseInt(pts.substr(start, comma - start));
      if (!value) return Fail(line, "points '" + std::string(pts) + "' are not whole numbers");
      v.points.push_back(*value);
      start = comma + 1;
    }
    if (v.points.size() != v.vote.size()) {
      return Fail(line, "vote lists " + std::to_string(v.vote.size()) + " projects but points has " +
                            std::to_string(v.points.size()) + " values");
    }
  } else if (e_.HasPoints() && !v.vote.empty()) {
    return Fail(line, "a " + std::string(VoteTypeName(e_.vote_type)) + " ballot needs points");
  }
  cells[voter_id_col_].clear();
  cells[vote_col_].clear();
  if (points_col_ >= 0) cells[points_col_].clear();
  v.cells = std::move(cells);
  e_.voters.push_back(std::move(v));
  return Status::Ok();
}

Status Parser::Finish() {
  if (!seen_meta_) return Fail(1, "no META section");
  if (!seen_projects_) return Fail(1, "no PROJECTS section");
  if (!seen_votes_) return Fail(1, "no VOTES section");
  auto budget_text = e_.Meta("budget");
  if (!budget_text) return Fail(1, "META has no budget");
  auto budget = ParseDecimal(*budget_text);
  if (!budget) return Fail(budget_line_, "budget '" + *budget_text + "' is not a number");
  if (budget->decimals > kMaxCostDecimals) {
    return Fail(budget_line_, "budget has too many decimal places");
  }
  int decimals = budget->decimals;
  for (const auto& c : raw_costs_) decimals = std::max(decimals, c.decimals);
  e_.cost_decimals = decimals;
  auto scaled_budget = ScaleDecimal(*budget, decimals);
  if (!scaled_budget) return Fail(budget_line_, "budget is too large");
  e_.budget = *scaled_budget;
  for (size_t i = 0; i < raw_costs_.size(); ++i) {
    auto c = ScaleDecimal(raw_costs_[i], decimals);
    if (!c || *c > (INT64_MAX / 4) / static_cast<int64_t>(e_.projects.size())) {
      return Fail(cost_lines_[i], "cost is too large");
    }
    e_.projects[i].cost = *c;
  }
  if (e_.budget > INT64_MAX / 4) return Fail(budget_line_, "budget is too large");
  return Status::Ok();
}

Result<Election> Parser::Run() {
  std::vector<std::string> cells;
  int line = 0;
  std::string error;
  Section section = Section::kNone;
  bool need_header = false;
  while (tokenizer_.Next(cells, line, error)) {
    if (!error.empty()) return Fail(line, error);
    if (IsBlank(cells)) continue;
    std::optional<Section> s;
    if (!tokenizer_.first_quoted()) s = SectionOf(cells);
    if (s) {
      bool& seen = *s == Section::kMeta ? seen_meta_
                   : *s == Section::kProjects ? seen_projects_ : seen_votes_;
      if (seen) return Fail(line, "section " + cells[0] + " appears twice");
      if (*s == Section::kProjects && !seen_meta_) return Fail(line, "PROJECTS before META");
      if (*s == Section::kVotes && !seen_projects_) return Fail(line, "VOTES before PROJECTS");
      seen = true;
      section = *s;
      need_header = true;
      if (section == Section::kVotes) {
        // Growing the voters vector moves every voter each time: reserve what META
        // announces, but no more than the rest of the text can hold (a vote line has
        // at least 4 bytes), as the file may overstate it.
        if (auto n = e_.Meta("num_votes")) {
          long long count = std::strtoll(n->c_str(), nullptr, 10);
          long long room = static_cast<long long>(tokenizer_.remaining() / 4);
          if (count > 0) e_.voters.reserve(static_cast<size_t>(std::min(count, room)));
        }
      }
      if (section == Section::kProjects) {
        // The vote type decides whether ballots need points; it is known by now.
        if (auto vt = e_.Meta("vote_type")) {
          std::string_view t = Trim(*vt);
          if (t == "approval") e_.vote_type = VoteType::kApproval;
          else if (t == "ordinal") e_.vote_type = VoteType::kOrdinal;
          else if (t == "cumulative") e_.vote_type = VoteType::kCumulative;
          else if (t == "scoring") e_.vote_type = VoteType::kScoring;
          else if (t == "choose-1") e_.vote_type = VoteType::kChoose1;
          else return Fail(line, "unknown vote_type '" + std::string(t) + "'");
        }
      }
      continue;
    }
    if (section == Section::kNone) return Fail(line, "content before the META section");
    if (need_header) {
      RETURN_IF_ERROR(HandleHeader(section, cells, line));
      tokenizer_.set_expected_cells(cells.size());
      need_header = false;
      continue;
    }
    switch (section) {
      case Section::kMeta: RETURN_IF_ERROR(HandleMeta(cells, line)); break;
      case Section::kProjects: RETURN_IF_ERROR(HandleProject(cells, line)); break;
      case Section::kVotes: RETURN_IF_ERROR(HandleVoter(cells, line)); break;
      case Section::kNone: break;
    }
  }
  if (need_header) return Fail(line, "section without a header line");
  RETURN_IF_ERROR(Finish());
  return std::move(e_);
}

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return false;
  if (s.front() == ' ' || s.back() == ' ' || s.front() == '"') return true;
  return s.find_first_of(";\"\n\r") != std::string_view::npos;
}

void AppendCell(std::string& out, std::string_view s) {
  if (!NeedsQuotes(s) && s != "META" && s != "PROJECTS" && s != "VOTES") {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string_view VoteTypeName(VoteType type) {
  switch (type) {
    case VoteType::kApproval: return "approval";
    case VoteType::kOrdinal: return "ordinal";
    case VoteType::kCumulative: return "cumulative";
    case VoteType::kScoring: return "scoring";
    case VoteType::kChoose1: return "choose-1";
  }
  return "approval";
}

std::optional<std::string> Election::Meta(std::string_view key) const {
  for (const auto& [k, v] : meta) {
    if (k == key) return v;
  }
  return std::nullopt;
}

int Election::FindProject(std::string_view id) const {
  for (size_t i = 0; i < projects.size(); ++i) {
    if (projects[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::string Election::FormatMoney(int64_t units) const {
  bool negative = units < 0;
  uint64_t u = negative ? -static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string digits = std::to_string(u);
  if (cost_decimals > 0) {
    if (digits.size() <= static_cast<size_t>(cost_decimals)) {
      digits.insert(0, cost_decimals + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - cost_decimals, ".");
    while (digits.back() == '0') digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
  }
  return negative ? "-" + digits : digits;
}

Result<BallotLimits> ReadBallotLimits(const Election& e) {
  BallotLimits limits;
  auto read_int = [&](const char* key, std::optional<int64_t>& out) -> Status {
    auto text = e.Meta(key);
    if (!text || IsNone(*text)) return Status::Ok();
    out = ParseInt(*text);
    if (!out) return Error::InvalidArgument(std::string("META ") + key + " is not a whole number");
    return Status::Ok();
  };
  auto read_money = [&](const char* key, std::optional<int64_t>& out) -> Status {
    auto text = e.Meta(key);
    if (!text || IsNone(*text)) return Status::Ok();
    auto d = ParseDecimal(*text);
    if (!d) return Error::InvalidArgument(std::string("META ") + key + " is not a number");
    // A limit finer than the costs' unit is rounded down (limits bound from above and
    // below alike only matter at cost-unit resolution).
    while (d->decimals > e.cost_decimals) {
      d->mantissa /= 10;
      --d->decimals;
    }
    out = ScaleDecimal(*d, e.cost_decimals);
    if (!out) return Error::InvalidArgument(std::string("META ") + key + " is too large");
    return Status::Ok();
  };
  RETURN_IF_ERROR(read_int("min_length", limits.min_length));
  RETURN_IF_ERROR(read_int("max_length", limits.max_length));
  RETURN_IF_ERROR(read_money("min_sum_cost", limits.min_sum_cost));
  RETURN_IF_ERROR(read_money("max_sum_cost", limits.max_sum_cost));
  RETURN_IF_ERROR(read_int("min_points", limits.min_points));
  RETURN_IF_ERROR(read_int("max_points", limits.max_points));
  RETURN_IF_ERROR(read_int("min_sum_points", limits.min_sum_points));
  RETURN_IF_ERROR(read_int("max_sum_points", limits.max_sum_points));
  return limits;
}

std::vector<std::pair<std::string, int64_t>> CountLimitViolations(const Election& e,
                                                                  const BallotLimits& l) {
  int64_t c[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (const Voter& v : e.voters) {
    int64_t len = static_cast<int64_t>(v.vote.size());
    int64_t cost = 0;
    for (int32_t p : v.vote) cost += e.projects[p].cost;
    int64_t sum_points = 0;
    bool low = false, high = false;
    for (int64_t pts : v.points) {
      sum_points += pts;
      if (l.min_points && pts < *l.min_points) low = true;
      if (l.max_points && pts > *l.max_points) high = true;
    }
    c[0] += l.min_length && len < *l.min_length;
    c[1] += l.max_length && len > *l.max_length;
    c[2] += l.min_sum_cost && cost < *l.min_sum_cost;
    c[3] += l.max_sum_cost && cost > *l.max_sum_cost;
    c[4] += low;
    c[5] += high;
    c[6] += e.HasPoints() && l.min_sum_points && sum_points < *l.min_sum_points;
    c[7] += e.HasPoints() && l.max_sum_points && sum_points > *l.max_sum_points;
  }
  const std::optional<int64_t>* present[8] = {&l.min_length,   &l.max_length,    &l.min_sum_cost,
                                              &l.max_sum_cost, &l.min_points,    &l.max_points,
                                              &l.min_sum_points, &l.max_sum_points};
  const char* keys[8] = {"min_length", "max_length", "min_sum_cost", "max_sum_cost",
                         "min_points", "max_points", "min_sum_points", "max_sum_points"};
  std::vector<std::pair<std::string, int64_t>> out;
  for (int i = 0; i < 8; ++i) {
    if (present[i]->has_value()) out.emplace_back(keys[i], c[i]);
  }
  return out;
}

Result<Election> ParsePabulib(std::string_view text, std::string_view file_name) {
  return Parser(text, file_name).Run();
}

std::string WritePabulib(const Election& e) {
  std::string out;
  out.reserve(64 * (e.projects.size() + e.voters.size()) + 256);
  out += "META\nkey;value\n";
  for (const auto& [k, v] : e.meta) {
    AppendCell(out, k);
    out += ';';
    AppendCell(out, v);
    out += '\n';
  }
  out += "PROJECTS\n";
  for (size_t i = 0; i < e.project_columns.size(); ++i) {
    if (i > 0) out += ';';
    AppendCell(out, e.project_columns[i]);
  }
  out += '\n';
  for (const auto& p : e.projects) {
    for (size_t i = 0; i < e.project_columns.size(); ++i) {
      if (i > 0) out += ';';
      const std::string& col = e.project_columns[i];
      if (col == "project_id") AppendCell(out, p.id);
      else if (col == "cost") out += e.FormatMoney(p.cost);
      else AppendCell(out, i < p.cells.size() ? p.cells[i] : std::string());
    }
    out += '\n';
  }
  out += "VOTES\n";
  for (size_t i = 0; i < e.voter_columns.size(); ++i) {
    if (i > 0) out += ';';
    AppendCell(out, e.voter_columns[i]);
  }
  out += '\n';
  std::string list;
  for (const auto& v : e.voters) {
    for (size_t i = 0; i < e.voter_columns.size(); ++i) {
      if (i > 0) out += ';';
      const std::string& col = e.voter_columns[i];
      if (col == "voter_id") {
        AppendCell(out, v.id);
      } else if (col == "vote") {
        list.clear();
        for (size_t j = 0; j < v.vote.size(); ++j) {
          if (j > 0) list += ',';
          list += e.projects[v.vote[j]].id;
        }
        AppendCell(out, list);
      } else if (col == "points") {
        for (size_t j = 0; j < v.points.size(); ++j) {
          if (j > 0) out += ',';
          out += std::to_string(v.points[j]);
        }
      } else {
        AppendCell(out, i < v.cells.size() ? v.cells[i] : std::string());
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace communitise::pb
