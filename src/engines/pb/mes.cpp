// Method of Equal Shares and its completions.
//
// One MES run is written once as a template over the number type:
//  - double: the fast path. Every decision it takes (is a project affordable, which
//    project has the smallest rho) must clear a relative margin kTolerance; otherwise
//    the run reports itself uncertain and is repeated in extended precision.
//  - long double (where it has more digits than double; x87's 64): the same decisions
//    with the margin kPreciseTolerance; if one falls inside it, the run is repeated
//    with exact rationals. Uncertain double runs are near ties (on Budapest, rho 2e-8
//    to 9e-8 apart), which this settles in a few milliseconds instead of ~0.1 s.
//  - mpq_class: exact rationals (GMP), the reference semantics.
// Why the margin is safe: budgets start equal and change only by subtracting a
// payment min(b, rho*u). With at most R <= #projects rounds, each budget is the result
// of at most R subtractions, each payment of one division and one multiplication, and
// each sum over at most n voters; the accumulated relative error of any compared
// quantity is below (R + n + 8) * 2^-53 ~ 1.5e-11 for n = 131,778 and R = 200, four
// orders of magnitude below kTolerance = 1e-7. The extended run makes the same
// roundings at unit 2^-digits instead of 2^-53, plus two more converting the
// per-voter budget (its numerator and denominator are rounded before the division),
// so its error bound is (R + n + 10) * 2^-digits, and kPreciseTolerance = kTolerance *
// 2^(53 - digits) keeps the same factor above it. Anything closer than that margin (including every exact tie) is
// decided by the exact run.
//
// The add1 completions walk per-voter budgets b_0 < b_1 < ... one currency unit
// apart, and long stretches of them give the same outcome. A run at b_hi may certify
// that every budget in [b_lo, b_hi] gives the outcome of the run at b_lo, so the walk
// jumps over them. Why the certificate is sound: fix the sequence of projects funded
// in rounds 1..r-1. A voter's money after a round, max(0, B_i - rho(B) * u_i), does not
// decrease when any voter's money before it grows (rho does not grow with anyone's
// money, and a poor voter's share falls as fast as its own money rises), so by
// induction every voter's money at round r is nondecreasing in b, and every project's
// rho at round r is nonincreasing in b, and a project affordable at some b stays
// affordable above it. Hence, if the run at b_hi funds the same project c in round r as
// the run at b_lo, and every other project q still affordable at b_hi has
// rho_q(b_hi) > rho_c(b_lo), then for every b in between rho_q(b) >= rho_q(b_hi) >
// rho_c(b_lo) >= rho_c(b): c wins round r at every b, and the induction goes on to round
// r + 1. Projects the run at b_hi never evaluated have a lower bound on rho (their rho in
// an earlier round, or with only penniless voters poor) above that of c at b_lo. A round
// in which nothing is affordable at b_hi has nothing affordable below it either. Every
// comparison must clear the same margin kTolerance; the certificate is only ever
// issued by the fast path, anything uncertain means "no jump".
// Prices fall nearly in parallel as b grows, so that test alone fails for most pairs
// over long ranges; bounds on how fast prices fall settle them (rates). Along the
// fixed sequence, on [b_lo, b_hi]:
//  - Money grows at least at a known rate: a voter paying in full (money above the
//    payment) in every round up to r at b_lo does so at every b of the range, and its
//    money is b minus its payments, so between b <= b' it grows by at least (b' - b)
//    times lambda_i = 1 + sum over those rounds of u_i times the lower bound on the
//    fall rate of the round's rho; others' money does not fall (lambda_i = 0).
//  - rho_p falls at least at rate alpha = P / R: P = sum of w_i lambda_i over the
//    voters paying all their money for p at b_hi (at price rho_p(b_hi)), R = the
//    utility of p's other voters. Proof for b < b' and rho >= rho_p(b'): writing F(rho,
//    b) = sum_i w_i min(m_i(b), rho u_i) (concave in rho, equal to the cost at rho_p(b)),
//    F(rho, b') <= cost + R (rho - rho_p(b')) (voters rich at b' are rich at b_hi), and
//    F(rho, b) <= F(rho, b') - P (b' - b) (voters poor at b_hi are poor at b' and at b,
//    and each loses at least lambda_i (b' - b)), so F(rho, b) < cost below rho_p(b') +
//    alpha (b' - b), and rho_p(b) >= rho_p(b') + alpha (b' - b).
//  - The funded project's rho falls at most at rate A = G / S: S = the utility of its
//    voters paying in full at b_lo (they are rich at every b of the range), G = sum of
//    w_i Lambda_i over the others, Lambda_i an upper bound on the growth rate of their
//    money: 1, plus u_i A of every earlier round they paid for, or 0 after a round in
//    which they pay all their money at b_hi (then they have nothing left at any b of
//    the range). Proof: for b < b', F(rho_c(b), b') - cost >= (rho_c(b) - rho_c(b'))
//    S by concavity, and it is at most the money gained from b to b' by the voters
//    poor at b, all among the others; max(0, m - rho u) moves by at most the move of m
//    plus u times the move of rho.
// So at every b = b_lo + t of the range, t in [0, W], rho_q(b) >= rho_q(b_hi) +
// alpha_q (W - t) and rho_c(b) <= min(rho_c(b_lo) - alpha_c t, rho_c(b_hi) + A_c (W -
// t)): the larger of the two gaps between the line for q and the two lines for c is
// convex in t, so it is positive on [0, W] if it is at both ends and where the two
// gaps are equal. All rates are computed by the run at b_hi (the voters' lambda and
// Lambda along its rounds, lo's record of who paid in full) with the margin kTolerance
// on every split and on the rates themselves.
// Splits: a pair (round r, funded c, other q) that this test does not settle is not a
// reason to give up. The induction above needs, for every grid budget b in the range,
// rho_q(b) > rho_c(b); on a sub-range the same test applies with the values at its
// ends (the rates hold on every part of the range). So the range is cut at grid points:
// a FollowPass at a cut point
// computes the budgets along the funded sequence of b_lo (the sequence being proven)
// and from them rho_c and rho_q there; q must lose at the cut point itself and each
// side is settled or cut again. A range with no grid point strictly inside needs
// nothing more (its ends are checked points). Pairs settled on the whole range stay
// settled on every part of it, so only the failing pairs are carried along. Values at
// a cut point are those of the fixed sequence, which is the real MES sequence at every
// point once all pairs are settled (induction over rounds as above); the same margin
// kTolerance applies to every comparison, and an uncertain pass means no jump.
// Why not prove an interval from one run (every budget and rho is affine in b while
// the trace of which voters pay all their money stays the same): on Budapest the trace
// changes at four steps in ten (blocks of identical voters crossing from paying all to
// paying the price), while the funded sequence changes once in 180 steps; the tests
// above do not care about such crossings.
// Money bounds: a run at b may use a done run at b_ref <= b (the previous one of the
// walk) to drop projects without scanning their supporters: while both fund the same
// projects, every voter's money exceeds its money at b_ref by at most b - b_ref plus,
// per round, the largest utility of the funded project times the fall of its rho, so a
// project unaffordable at b_ref with money A behind it has at most A plus that slack
// per supporter behind it at b (see MesRun's `ref`).
// Where to jump: each fast run follows, per group, the derivative of its budget in b
// for its own trace, hence the derivative of every price it computes; the first
// crossing of a funded project's price by a close competitor's (or of a dropped
// project's money by its cost, if its richest supporters could then pay about the
// funded price), extrapolated linearly, is Run::span. The walk tries the last grid
// point before it. A run that shows another project winning some round gives a second
// point: the next try is where the gap between the two prices (or the missing money)
// closes when taken as linear between the current run and that one (regula falsi,
// discounted after repeated failures). Guesses only pick where to try; certificates
// decide. Why the first guess is not refined by passes along the funded sequence
// (secant search for the last grid point before the first gap closes): it makes most
// changes of outcome cost the floor of two runs, but a pass costs about a quarter of a
// run and the search needs two or three of them per change, which is more than the
// runs it saves (README, measurements).
// The scans over supporters avoid branches on the poor/rich split (Keep, Mask): which
// side a budget falls on is too irregular for branch prediction.
// Guessed splits: a price is the fixed point of the poor/rich split of its supporters.
// A run splits them first at the same project's price in the same round of the
// previous run of the walk (a pass: at prices taken as linear between the
// certificate's two runs) and keeps the split if it is already the fixed point; any
// split's payment is at most the solution, so a failed guess still gives a lower bound
// to split at (MesRun, where the guess is made). Guesses only pick where to split.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "communitise/pb/rules.h"
#include "profile.h"

namespace communitise::pb {
namespace {

using internal::Profile;

constexpr double kTolerance = 1e-7;
// The extended-precision rerun of an uncertain double run (file comment); off where
// long double is no wider than double.
constexpr int kPreciseDigits = std::numeric_limits<long double>::digits;
constexpr bool kHavePrecise = kPreciseDigits > std::numeric_limits<double>::digits;
constexpr long double kPreciseTolerance =
    kTolerance / static_cast<long double>(uint64_t{1} << std::clamp(kPreciseDigits - 53, 0, 63));

// x rounded to long double: its leading 53 bits plus the rest, each truncated to a
// double and added in long double (one rounding; the rest's truncation is below
// 2^-105 relative).
long double ToLongDouble(const mpz_class& x) {
  double hi = x.get_d();  // truncates, so x - hi is exact
  mpz_class rest = x - mpz_class(hi);
  return static_cast<long double>(hi) + static_cast<long double>(rest.get_d());
}
long double ToLongDouble(const mpq_class& x) {
  return ToLongDouble(x.get_num()) / ToLongDouble(x.get_den());
}
// Projects within this relative distance of the round's best rho (or of their cost, for
// dropped ones) feed the guess of where the outcome changes next (Run::span).
constexpr double kGuess = 0.25;

// Everything about one MES run that the completions and explanations need.
struct Run {
  std::vector<int> selected;            // funded, in order (zero-cost ones first)
  int64_t cost = 0;
  std::vector<double> round_rho;        // per round: the funded project's rho
  std::vector<int> round_of;            // per project: round funded (0 = not)
  std::vector<double> rho_of;           // per project: price per unit of satisfaction
  std::vector<double> max_payment_of;   // per project: largest payment by one supporter
  std::vector<int> dropped_round;       // per project: round it became unaffordable
  std::vector<double> money_behind;     // per project: supporters' money then
  std::vector<int64_t> broke_supporters;  // per project: supporters with no money then
  // Fast path only: how far above this run's per-voter budget the first change of
  // outcome is expected, from the prices' slopes in the per-voter budget (a guess that
  // picks where to try a jump; it proves nothing). Infinite if no change is in sight.
  double span = std::numeric_limits<double>::infinity();
  // Takes the guess from a gap (price difference, or missing money of a dropped
  // project) that changes at `rate` per unit of per-voter budget.
  void Guess(double gap, double rate) {
    if (rate < 0) span = std::min(span, gap / -rate);
  }
  // Certificates only: projects whose rho at this run's budget does not clear the
  // funded project's rho at the lower budget (see the file comment on splits).
  struct Critical {
    int round;
    int project;
    double rho;
    double slope;  // rho's derivative in the per-voter budget (a guide only)
    // Proven lower bounds on how fast q's and the funded project's rho fall with the
    // per-voter budget anywhere between lo's budget and this run's (file comment).
    double fall_q;
    double fall_c;
    // A proven upper bound on how fast the funded project's rho falls there.
    double fall_c_max;
  };
  std::vector<Critical> critical;
  // Fast path only: per round, every project evaluated and its rho.
  std::vector<std::vector<std::pair<int, double>>> round_evaluated;
  // Fast path only: per group, the first round whose funded project it supports and
  // that it may not have paid in full (its money was not above the payment with the
  // margin kTolerance); INT32_MAX if none.
  std::vector<int32_t> first_unsure;
  // Certificates only, when the run at the higher budget funds another project than
  // lo in some round: that round, lo's project c and this run's q with their rho here
  // (a guide for where to try the next jump).
  struct Change {
    int round = 0;
    int c = -1, q = -1;
    double rho_c = 0, rho_q = 0;
    double money_q = 0;  // the money behind q here in that round
  };
  Change change;
  bool fast = false;  // a done fast run (the fields marked "fast path only" are set)
  // Fast path only: the per-voter budget, and per project the round it was found
  // unaffordable (0 = not) with an upper bound on its supporters' money then (see
  // MesRun's `ref`).
  double b0 = 0;
  std::vector<int> drop_round;
  std::vector<double> drop_money;
};

// Precomputed per election and utility.
struct Setup {
  const Election* e;
  const Profile* prof;
  std::vector<int> candidates;     // supported, cost > 0
  std::vector<int> free_projects;  // supported, cost == 0 (funded up front)
  std::vector<mpz_class> total_util;
  std::vector<double> total_util_d;
  std::vector<long double> total_util_ld;
  std::vector<double> total_weight_d;  // voters supporting the project
  std::vector<double> max_util_d;      // largest utility of one supporter
  std::vector<char> uniform;       // all supporters of the project have equal utility
  // The double fast path reads supporters as flat arrays (fewer cache misses).
  std::vector<std::vector<int32_t>> sup_group;
  std::vector<std::vector<double>> sup_weight;
  std::vector<std::vector<double>> sup_util;
};

Setup MakeSetup(const Election& e, const Profile& prof) {
  Setup s{&e, &prof, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  size_t m = e.projects.size();
  s.total_weight_d.assign(m, 0.0);
  s.max_util_d.assign(m, 0.0);
  s.total_util.resize(m);
  s.total_util_d.resize(m);
  s.total_util_ld.resize(m);
  s.uniform.assign(m, 1);
  s.sup_group.resize(m);
  s.sup_weight.resize(m);
  s.sup_util.resize(m);
  std::vector<int> order(m);
  std::iota(order.begin(), order.end(), 0);
  for (size_t p = 0; p < m; ++p) {
    mpz_class t = 0;
    const auto& sup = prof.supporters[p];
    for (const auto& x : sup) {
      s.sup_group[p].push_back(x.group);
      s.sup_weight[p].push_back(static_cast<double>(prof.weight[x.group]));
      s.sup_util[p].push_back(static_cast<double>(x.utility));
      t += mpz_class(static_cast<long>(prof.weight[x.group])) * static_cast<long>(x.utility);
      s.total_weight_d[p] += static_cast<double>(prof.weight[x.group]);
      s.max_util_d[p] = std::max(s.max_util_d[p], static_cast<double>(x.utility));
      if (x.utility != sup[0].utility) s.uniform[p] = 0;
    }
    s.total_util[p] = t;
    s.total_util_d[p] = t.get_d();
    s.total_util_ld[p] = ToLongDouble(t);
    if (t > 0) {
      if (e.projects[p].cost > 0) s.candidates.push_back(static_cast<int>(p));
      else s.free_projects.push_back(static_cast<int>(p));
    }
  }
  auto by_id = [&](int a, int b) { return internal::IdLess(e, a, b); };
  std::sort(s.free_projects.begin(), s.free_projects.end(), by_id);
  return s;
}

// c ? x : 0.0 without a branch: the scans below test budgets against a price, and
// which side a budget falls on is too irregular for branch prediction.
inline double Keep(bool c, double x) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(x) & (uint64_t{0} - uint64_t{c}));
}

// A comparison kept as a bit mask for Keep (KeepNot: !c ? x : 0.0). With SSE2 it is
// one compare instruction and each use one AND, where a bool is made into a mask again
// at every use (the scans below ran up to a third faster so).
#if defined(__SSE2__)
struct Mask {
  __m128d bits;
};
inline Mask Less(double a, double b) { return {_mm_cmplt_sd(_mm_set_sd(a), _mm_set_sd(b))}; }
inline Mask LessEq(double a, double b) { return {_mm_cmple_sd(_mm_set_sd(a), _mm_set_sd(b))}; }
inline double Keep(Mask c, double x) { return _mm_cvtsd_f64(_mm_and_pd(c.bits, _mm_set_sd(x))); }
inline double KeepNot(Mask c, double x) {
  return _mm_cvtsd_f64(_mm_andnot_pd(c.bits, _mm_set_sd(x)));
}
// max(x, 0.0) (compilers may branch on std::max).
inline double NotBelowZero(double x) {
  return _mm_cvtsd_f64(_mm_max_sd(_mm_set_sd(x), _mm_setzero_pd()));
}
#else
struct Mask {
  bool bits;
};
inline Mask Less(double a, double b) { return {a < b}; }
inline Mask LessEq(double a, double b) { return {a <= b}; }
inline double Keep(Mask c, double x) { return Keep(c.bits, x); }
inline double KeepNot(Mask c, double x) { return Keep(!c.bits, x); }
inline double NotBelowZero(double x) { return std::max(x, 0.0); }
#endif

// One branch-free pass over a project's supporters (groups grp, weights w, equal
// utilities) splitting them at the payment `at`: the money behind the project, the
// poor side's money and weight, the smallest budget on the rich side and the largest
// on the poor side.
struct Split {
  double avail, poor_money, poor_w, min_rich, max_poor;
};
Split SplitAt(const double* bud, const int32_t* grp, const double* w, size_t k_n, double at) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
#if defined(__SSE2__)
  // Two supporters at a time, one in each lane of SSE2 registers (the pass is bound by
  // the number of instructions), with each comparison kept as a bit mask, which selects
  // with one AND where Keep makes a mask from a bool at every use. The sums are added
  // in another order than one by one, which the error argument of the file comment
  // allows (it holds for any order).
  __m128d a = _mm_setzero_pd(), pm = a, pw = a, mp = a;
  const __m128d at_v = _mm_set1_pd(at), inf = _mm_set1_pd(kInf);
  __m128d mr = inf;
  size_t k = 0;
  for (; k + 1 < k_n; k += 2) {
    __m128d b = _mm_loadh_pd(_mm_load_sd(&bud[grp[k]]), &bud[grp[k + 1]]);
    __m128d wk = _mm_loadu_pd(&w[k]);
    __m128d bw = _mm_mul_pd(b, wk);
    a = _mm_add_pd(a, bw);
    __m128d is_poor = _mm_cmplt_pd(b, at_v);
    pm = _mm_add_pd(pm, _mm_and_pd(is_poor, bw));
    pw = _mm_add_pd(pw, _mm_and_pd(is_poor, wk));
    mr = _mm_min_pd(mr, _mm_add_pd(b, _mm_and_pd(is_poor, inf)));  // b, or infinity if poor
    mp = _mm_max_pd(mp, _mm_and_pd(is_poor, b));
  }
  if (k < k_n) {  // the last one in the low lane
    __m128d b = _mm_load_sd(&bud[grp[k]]);
    __m128d wk = _mm_load_sd(&w[k]);
    __m128d bw = _mm_mul_sd(b, wk);
    a = _mm_add_sd(a, bw);
    __m128d is_poor = _mm_cmplt_sd(b, at_v);
    pm = _mm_add_sd(pm, _mm_and_pd(is_poor, bw));
    pw = _mm_add_sd(pw, _mm_and_pd(is_poor, wk));
    mr = _mm_min_sd(mr, _mm_add_sd(b, _mm_and_pd(is_poor, inf)));
    mp = _mm_max_sd(mp, _mm_and_pd(is_poor, b));
  }
  auto sum = [](__m128d x) { return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x))); };
  return Split{sum(a), sum(pm), sum(pw), _mm_cvtsd_f64(_mm_min_sd(mr, _mm_unpackhi_pd(mr, mr))),
               _mm_cvtsd_f64(_mm_max_sd(mp, _mm_unpackhi_pd(mp, mp)))};
#else
  double a = 0, pm = 0, pw = 0, mp = 0, mr = kInf;
  for (size_t k = 0; k < k_n; ++k) {
    double b = bud[grp[k]];
    double bw = b * w[k];
    a += bw;
    bool is_poor = b < at;
    pm += Keep(is_poor, bw);
    pw += Keep(is_poor, w[k]);
    mr = std::min(mr, is_poor ? kInf : b);
    mp = std::max(mp, Keep(is_poor, b));
  }
  return Split{a, pm, pw, mr, mp};
#endif
}

// Whether the split at some payment is the fixed point of the poor/rich split (see
// MesRun): every poor budget below the payment `pay` it gives and every rich one at or
// above it. Then its poor side is exactly the voters who cannot pay `pay`, and `pay`
// solves sum_i w_i min(b_i, pay) = cost, which has one solution.
inline bool Consistent(const Split& sp, double rich_w, double pay) {
  return rich_w > 0 && sp.min_rich >= pay && sp.max_poor < pay;
}

inline double ToDouble(double x) { return x; }
inline double ToDouble(long double x) { return static_cast<double>(x); }
inline double ToDouble(const mpq_class& x) { return x.get_d(); }

template <class Num>
Num FromInt(int64_t v) {
  if constexpr (std::is_floating_point_v<Num>) {
    return static_cast<Num>(v);
  } else {
    return Num(mpz_class(static_cast<long>(v)));
  }
}

enum class RunStatus {
  kDone,
  kUncertain,     // (double only) a decision fell inside the uncertainty margin
  kNotCertified,  // (with `lo`) the outcome may change between lo's budget and this one
};

// One MES run with per-voter budget b0. Num is double (the fast path: the fields of Run
// marked so, certificates and money bounds), long double (the extended rerun: the code
// of the exact run with the margin kPreciseTolerance) or mpq_class. With `lo` (double
// only; the done run of a
// lower budget), also checks the certificate described in the file comment and stops
// as soon as it fails; `run` is then incomplete.
// With `filter` (exact only), a shadow copy of the budgets in double precision settles
// every decision about a project that clears the margin kTolerance (unaffordable, or
// priced above the best rho so far), and only the others are computed exactly: the
// shadow is the exact budgets rounded once, so the error argument of the file comment
// holds for it.
template <class Num>
RunStatus MesRun(const Setup& s, const Num& b0, bool explain, Run& run,
                 const Run* lo = nullptr, bool filter = false, const Run* ref = nullptr) {
  constexpr bool kFast = std::is_same_v<Num, double>;
  constexpr bool kExact = std::is_same_v<Num, mpq_class>;
  // The margin of every decision of a non-exact run.
  using Float = std::conditional_t<kFast, double, long double>;
  constexpr Float kTol = kFast ? kTolerance : static_cast<Float>(kPreciseTolerance);
  constexpr RunStatus kUncertain = RunStatus::kUncertain;
  const Election& e = *s.e;
  const Profile& prof = *s.prof;
  size_t m = e.projects.size();
  std::vector<Num> budget(prof.weight.size(), b0);
  std::vector<double> shadow;  // exact runs with `filter`: the budgets rounded
  std::vector<char> shadow_poor;
  if (kExact && filter) shadow.assign(prof.weight.size(), ToDouble(b0));
  // The double fixed point of p's price on the shadow budgets; false if it fails.
  [[maybe_unused]] auto shadow_price = [&](int p, double& rho) {
    const int32_t* grp = s.sup_group[p].data();
    const double* w = s.sup_weight[p].data();
    const double* u = s.sup_util[p].data();
    size_t k_n = s.sup_group[p].size();
    double c = static_cast<double>(e.projects[p].cost);
    shadow_poor.assign(k_n, 0);
    double poor_money = 0, rich_util = s.total_util_d[p];
    while (true) {
      if (!(rich_util > 0)) return false;
      rho = (c - poor_money) / rich_util;
      bool changed = false;
      for (size_t k = 0; k < k_n; ++k) {
        if (shadow_poor[k] || !(shadow[grp[k]] < rho * u[k])) continue;
        shadow_poor[k] = 1;
        changed = true;
        poor_money += shadow[grp[k]] * w[k];
        rich_util -= w[k] * u[k];
      }
      if (!changed) return true;
    }
  };
  std::vector<Num> rho_lb(m);
  for (int p : s.candidates) {
    if constexpr (kExact) {
      rho_lb[p] = mpq_class(mpz_class(static_cast<long>(e.projects[p].cost)), s.total_util[p]);
      rho_lb[p].canonicalize();
    } else if constexpr (kFast) {
      rho_lb[p] = static_cast<double>(e.projects[p].cost) / s.total_util_d[p];
    } else {
      rho_lb[p] = static_cast<Num>(e.projects[p].cost) / s.total_util_ld[p];
    }
  }
  run = Run();
  // With `ref` (fast path, no explanations; a done fast run at a budget b_ref <= b0):
  // while this run funds the same projects as ref, every group's money exceeds its
  // money in ref by at most `slack` = b0 - b_ref plus, per round so far, the largest
  // utility of a supporter of the funded project times the fall of its rho from ref
  // to here (the money after a round, max(0, money - rho * u), moves by at most the
  // money before it plus u times the move of rho). A project ref found unaffordable
  // in round r, with money A behind it, has at most A + slack per supporter behind it
  // here in round r and later, and is dropped unscanned when that is clearly below
  // its cost: by a margin of kGuess, so that every project the span guess looks at is
  // still scanned.
  [[maybe_unused]] double slack = 0;
  if constexpr (kFast) {
    run.fast = true;
    run.b0 = b0;
    run.drop_round.assign(m, 0);
    run.drop_money.assign(m, 0.0);
    if (explain || !ref || ref->drop_round.size() != m || !(ref->b0 <= b0)) ref = nullptr;
    if (ref) slack = b0 - ref->b0;
  } else {
    ref = nullptr;
  }
  if (explain) {
    run.round_of.assign(m, 0);
    run.rho_of.assign(m, 0);
    run.max_payment_of.assign(m, 0);
    run.dropped_round.assign(m, 0);
    run.money_behind.assign(m, 0);
    run.broke_supporters.assign(m, 0);
  }
  for (int p : s.free_projects) {
    run.selected.push_back(p);
    if (explain) run.round_of[p] = 0;
  }
  std::vector<int> remaining = s.candidates;
  std::vector<char> poor;
  struct Cand {
    double key;    // budget (equal utilities)
    double util;   // weight
    double money;  // weight * budget
    Cand() {}      // left unset: resize() only makes room that is written next
    Cand(double k, double u, double m) : key(k), util(u), money(m) {}
  };
  std::vector<Cand> cand;
  // Moves every candidate whose key is below `price` to the poor side and recomputes
  // the price, until none moves; the price only rises, so each pass removes voters for
  // good. False when no rich utility is left.
  [[maybe_unused]] auto settle_poor = [&cand](double c, double& poor_money, double& rich_util,
                                              double& price) {
    bool changed = true;
    while (changed) {
      size_t kept = 0;
      double pm = poor_money, ru = rich_util;
      for (size_t k = 0; k < cand.size(); ++k) {
        bool is_poor = cand[k].key < price;
        Mask poor_mask = Less(cand[k].key, price);
        pm += Keep(poor_mask, cand[k].money);
        ru -= Keep(poor_mask, cand[k].util);
        cand[kept] = cand[k];
        kept += !is_poor;
      }
      poor_money = pm;
      rich_util = ru;
      changed = kept != cand.size();
      cand.resize(kept);
      if (!(rich_util > 0)) return false;
      price = (c - poor_money) / rich_util;
    }
    return true;
  };
  std::vector<std::pair<Num, int>> evaluated;
  std::vector<char> drop;
  // Fast path only, for the span guess: each group's budget's derivative in the
  // per-voter budget (for this run's sequence of funded projects and poor groups), and
  // the projects dropped this round with the money behind them.
  std::vector<double> slope;
  std::vector<double> evaluated_slope;
  std::vector<std::pair<int, double>> dropped;
  if constexpr (kFast) slope.assign(prof.weight.size(), 1.0);
  // Certificates only: per group, a lower bound on the rate at which its money grows
  // with the per-voter budget between lo's budget and this run's (file comment).
  std::vector<double> rate;
  // Certificates only: per group, an upper bound on that rate (file comment).
  std::vector<double> grow;
  if constexpr (kFast) {
    run.first_unsure.assign(prof.weight.size(), std::numeric_limits<int32_t>::max());
    if (lo) rate.assign(prof.weight.size(), lo->first_unsure.empty() ? 0.0 : 1.0);
    if (lo) grow.assign(prof.weight.size(), 1.0);
  }
  // The span guess from projects dropped this round: when their supporters' money,
  // growing with the per-voter budget, would reach the cost.
  [[maybe_unused]] auto guess_from_dropped = [&](double funded_rho) {
    for (auto [p, avail] : dropped) {
      double c = static_cast<double>(e.projects[p].cost);
      if (avail < c * (1 - kGuess)) continue;
      const int32_t* grp = s.sup_group[p].data();
      const double* w = s.sup_weight[p].data();
      const double* u = s.sup_util[p].data();
      double rate = 0, top = 0;
      for (size_t k = 0, k_n = s.sup_group[p].size(); k < k_n; ++k) {
        rate += w[k] * slope[grp[k]];
        top = std::max(top, ToDouble(budget[grp[k]]) / u[k]);
      }
      // Where p becomes affordable its price is about the largest budget per unit of
      // utility among its supporters; far above the funded price it changes nothing.
      if (top > funded_rho * (1 + kGuess)) continue;
      run.Guess(c - avail, -rate);
    }
  };
  int round = 0;
  while (!remaining.empty()) {
    ++round;
    std::sort(remaining.begin(), remaining.end(),
              [&](int a, int b) { return rho_lb[a] < rho_lb[b]; });
    evaluated.clear();
    dropped.clear();
    bool have_best = false;
    Num best{};
    drop.assign(m, 0);
    // With a certificate to check, projects are evaluated up to the larger of this
    // round's best rho and `lo_rho`, the rho of lo's project in this round.
    // If lo funded nothing in this round, nothing may be affordable here: every
    // project is evaluated (lo_rho is infinite).
    [[maybe_unused]] double lo_rho = 0;
    if constexpr (kFast) {
      if (lo) {
        size_t idx = s.free_projects.size() + static_cast<size_t>(round) - 1;
        lo_rho = idx < lo->selected.size() ? lo->round_rho[round - 1]
                                           : std::numeric_limits<double>::infinity();
      }
    }
    // Whether a project whose rho is at least `lb` can be left unevaluated.
    [[maybe_unused]] auto beyond = [&](double lb) {
      if (lo) return lb > std::max(have_best ? ToDouble(best) : lo_rho, lo_rho) * (1 + kTolerance);
      return have_best && lb > ToDouble(best) * (1 + kTolerance);
    };
    for (int p : remaining) {
      if constexpr (kExact) {
        if (have_best && rho_lb[p] > best) break;
      } else if constexpr (kFast) {
        if (beyond(rho_lb[p])) break;
      } else {
        if (have_best && rho_lb[p] > best * (1 + kTol)) break;
      }
      const auto& sup = prof.supporters[p];
      if constexpr (kFast) {
        if (ref && ref->drop_round[p] > 0 && ref->drop_round[p] <= round) {
          double bound = (ref->drop_money[p] + s.total_weight_d[p] * slack) * (1 + kTolerance);
          if (bound < static_cast<double>(e.projects[p].cost) * (1 - kGuess)) {
            drop[p] = 1;
            run.drop_round[p] = round;
            run.drop_money[p] = bound;
            continue;
          }
        }
        // Fast path: one pass computes the money behind p and splits off the voters
        // who cannot pay a lower bound on p's price (they are poor at the final price
        // too, which is no lower); further passes only when needed.
        if (s.uniform[p]) {
          // Equal utility u for all supporters: compare budgets with the payment
          // rho * u directly. One branch-free pass: money behind p, and the split at
          // a payment.
          const int32_t* grp = s.sup_group[p].data();
          const double* w = s.sup_weight[p].data();
          size_t k_n = s.sup_group[p].size();
          double u = s.sup_util[p][0];
          double c = static_cast<double>(e.projects[p].cost);
          double total_w = s.total_util_d[p] / u;
          // A lower bound on p's payment: its payment when it was last evaluated in
          // this run (money only falls within a run, so prices only rise), at first
          // its payment if nobody were poor.
          double pay0 = ToDouble(rho_lb[p]) * u;
          auto split_at = [&](double at) { return SplitAt(budget.data(), grp, w, k_n, at); };
          // The split is tried first at p's payment in the same round of `ref` (if it
          // evaluated p there), which is usually the payment here or a little above it.
          // It is kept if it is consistent: every poor budget below the payment it gives
          // and every rich one at or above it. Then the poor side is exactly the voters
          // who cannot pay that payment, which the fixed point below reaches (the payment
          // with sum_i w_i min(b_i, pay) = cost is unique). Otherwise the split is
          // redone at the larger of pay0 and the payment the guessed split gave, which
          // is at most the solution: any split counts each voter as paying all its
          // money or the full payment, both at least min(b_i, pay), so the money it
          // counts at any payment is at least the true money there and reaches the cost
          // no later. Everybody below it is poor at the solution, as below pay0. A
          // guess only picks where to split first.
          double guess = 0;
          if (ref && ref->round_evaluated.size() >= static_cast<size_t>(round)) {
            for (auto [q, q_rho] : ref->round_evaluated[round - 1]) {
              if (q == p) guess = q_rho * u;
            }
          }
          bool guessed = guess > pay0;
          double at = guessed ? guess : pay0;  // every budget below `at` is poor
          Split sp = split_at(at);
          double avail = sp.avail;
          if (avail < c * (1 - kTolerance)) {
            drop[p] = 1;
            dropped.emplace_back(p, avail);
            run.drop_round[p] = round;
            run.drop_money[p] = avail;
            if (explain) {
              run.dropped_round[p] = round;
              run.money_behind[p] = avail;
              int64_t broke = 0;
              for (const auto& x : sup) {
                if (budget[x.group] == 0) broke += prof.weight[x.group];
              }
              run.broke_supporters[p] = broke;
            }
            continue;
          }
          if (avail < c * (1 + kTolerance)) return kUncertain;
          double poor_money = sp.poor_money;
          double rich_w = total_w - sp.poor_w;
          double pay = (c - poor_money) / rich_w;
          if (guessed && !Consistent(sp, rich_w, pay)) {
            guessed = false;
            if (rich_w > 0 && pay > pay0) at = pay;
            else at = pay0;
            sp = split_at(at);
            poor_money = sp.poor_money;
            rich_w = total_w - sp.poor_w;
            pay = (c - poor_money) / rich_w;
          }
          if (!(rich_w > 0)) return kUncertain;
          if (!guessed && sp.min_rich < pay) {
            // More poor voters: repeat the split over the rich ones only; the payment
            // only rises, so each pass removes voters for good.
            cand.resize(k_n);
            size_t n_cand = 0;
            for (size_t k = 0; k < k_n; ++k) {
              double b = budget[grp[k]];
              cand[n_cand] = {b, w[k], b * w[k]};
              n_cand += !(b < at);
            }
            cand.resize(n_cand);
            if (!settle_poor(c, poor_money, rich_w, pay)) return kUncertain;
          }
          double rho = pay / u;
          rho_lb[p] = rho;
          evaluated.emplace_back(rho, p);
          if (!have_best || rho < best) {
            best = rho;
            have_best = true;
          }
          continue;
        }
        const int32_t* grp = s.sup_group[p].data();
        const double* w = s.sup_weight[p].data();
        const double* u = s.sup_util[p].data();
        size_t k_n = s.sup_group[p].size();
        double c = static_cast<double>(e.projects[p].cost);
        double rich_util = s.total_util_d[p];
        double rho0 = c / rich_util;
        double avail = 0, poor_money = 0, min_key = std::numeric_limits<double>::infinity();
        cand.clear();
        for (size_t k = 0; k < k_n; ++k) {
          double b = budget[grp[k]];
          avail += b * w[k];
          if (b < rho0 * u[k]) {
            poor_money += b * w[k];
            rich_util -= w[k] * u[k];
          } else {
            double key = b / u[k];
            cand.push_back({key, w[k] * u[k], b * w[k]});
            min_key = std::min(min_key, key);
          }
        }
        if (avail < c * (1 - kTolerance)) {
          drop[p] = 1;
          dropped.emplace_back(p, avail);
          run.drop_round[p] = round;
          run.drop_money[p] = avail;
          if (explain) {
            run.dropped_round[p] = round;
            run.money_behind[p] = avail;
            int64_t broke = 0;
            for (const auto& x : sup) {
              if (budget[x.group] == 0) broke += prof.weight[x.group];
            }
            run.broke_supporters[p] = broke;
          }
          continue;
        }
        if (avail < c * (1 + kTolerance)) return kUncertain;
        if (!(rich_util > 0)) return kUncertain;
        double rho = (c - poor_money) / rich_util;
        // More poor voters: repeat the split over the compacted rich list.
        if (min_key < rho && !settle_poor(c, poor_money, rich_util, rho)) return kUncertain;
        rho_lb[p] = rho;
        evaluated.emplace_back(rho, p);
        if (!have_best || rho < best) {
          best = rho;
          have_best = true;
        }
        continue;
      }
      Num avail = FromInt<Num>(0);
      bool settled = false;  // by the shadow budgets
      bool surely_affordable = false;  // by the shadow budgets (explanations aside)
      if constexpr (kExact) {
        if (filter) {
          double c = static_cast<double>(e.projects[p].cost), avail_d = 0;
          const int32_t* grp = s.sup_group[p].data();
          const double* w = s.sup_weight[p].data();
          for (size_t k = 0, k_n = s.sup_group[p].size(); k < k_n; ++k) {
            avail_d += shadow[grp[k]] * w[k];
          }
          if (avail_d < c * (1 - kTolerance)) {
            avail = mpq_class(avail_d);  // shown in explanations only
            settled = true;
          } else if (!(avail_d < c * (1 + kTolerance))) {
            surely_affordable = !explain;
            double rho_d = 0;
            if (have_best && shadow_price(p, rho_d) &&
                rho_d > ToDouble(best) * (1 + kTolerance)) {
              rho_lb[p] = best;  // p's rho exceeds it, now and in later rounds
              continue;
            }
          }
        }
      }
      if (!settled && !surely_affordable) {
        for (const auto& x : sup) avail += budget[x.group] * FromInt<Num>(prof.weight[x.group]);
      }
      Num cost = FromInt<Num>(e.projects[p].cost);
      bool affordable;
      if constexpr (kExact) {
        affordable = surely_affordable || (!settled && !(avail < cost));
      } else {
        if (avail < cost * (1 - kTol)) {
          affordable = false;
        } else if (avail < cost * (1 + kTol)) {
          return kUncertain;
        } else {
          affordable = true;
        }
      }
      if (!affordable) {
        drop[p] = 1;
        if constexpr (kFast) dropped.emplace_back(p, avail);
        if (explain) {
          run.dropped_round[p] = round;
          run.money_behind[p] = ToDouble(avail);
          int64_t broke = 0;
          for (const auto& x : sup) {
            if (budget[x.group] == 0) broke += prof.weight[x.group];
          }
          run.broke_supporters[p] = broke;
        }
        continue;
      }
      // rho: the price with sum_i min(b_i, rho * u_i) = cost. Fixed point of the
      // poor/rich split: start with everybody rich (paying rho * u_i); whoever cannot
      // pay that becomes poor (pays everything); recompute. The poor set only grows
      // and rho only rises, so this ends after at most |supporters| passes (in
      // practice one or two) and gives the same rho as scanning supporters sorted by
      // b_i / u_i.
      poor.assign(sup.size(), 0);
      Num poor_money = FromInt<Num>(0);
      Num rich_util;
      if constexpr (kExact) rich_util = mpq_class(s.total_util[p]);
      else if constexpr (kFast) rich_util = s.total_util_d[p];
      else rich_util = s.total_util_ld[p];
      Num rho{};
      bool found = false;
      // Equal utilities: the payment rho * u is the same for every supporter.
      const bool uniform_pay = s.uniform[p] != 0;
      Num pay_all{};
      while (true) {
        if (!(rich_util > 0)) break;
        rho = (cost - poor_money) / rich_util;
        if (uniform_pay) pay_all = rho * FromInt<Num>(sup[0].utility);
        bool changed = false;
        for (size_t k = 0; k < sup.size(); ++k) {
          if (poor[k]) continue;
          const auto& x = sup[k];
          if (uniform_pay ? budget[x.group] < pay_all
                          : budget[x.group] < rho * FromInt<Num>(x.utility)) {
            poor[k] = 1;
            changed = true;
            poor_money += budget[x.group] * FromInt<Num>(prof.weight[x.group]);
            rich_util -= FromInt<Num>(prof.weight[x.group]) * FromInt<Num>(x.utility);
          }
        }
        if (!changed) {
          found = true;
          break;
        }
      }
      if (!found) {
        // Only reachable through rounding when avail ~ cost; affordability was certain.
        if constexpr (kExact) {
          drop[p] = 1;
          continue;
        } else {
          return kUncertain;
        }
      }
      rho_lb[p] = rho;
      evaluated.emplace_back(rho, p);
      if (!have_best || rho < best) {
        best = rho;
        have_best = true;
      }
    }
    if (!have_best) {
      if constexpr (kFast) {
        if (lo && lo->selected.size() != s.free_projects.size() + round - 1) {
          return RunStatus::kNotCertified;
        }
        guess_from_dropped(std::numeric_limits<double>::infinity());
      }
      if (explain) {
        for (int p : remaining) {
          if (!drop[p]) run.dropped_round[p] = round;
        }
      }
      break;
    }
    if constexpr (kFast) {
      if (lo && lo_rho == std::numeric_limits<double>::infinity()) return RunStatus::kNotCertified;
    }
    int chosen = -1;
    for (const auto& [rho, p] : evaluated) {
      bool tied;
      if constexpr (kExact) tied = rho == best;
      else tied = rho <= best * (1 + kTol);
      if (!tied) continue;
      if (chosen < 0) {
        chosen = p;
      } else {
        if constexpr (!kExact) return kUncertain;  // a near tie: more precision decides
        if (internal::IdLess(e, p, chosen)) chosen = p;
      }
    }
    if constexpr (kFast) {
      if (lo) {
        int lo_chosen = lo->selected[s.free_projects.size() + round - 1];
        if (lo_chosen != chosen) {
          for (const auto& [rho, p] : evaluated) {
            if (p == lo_chosen) run.change = {round, lo_chosen, chosen, rho, best, 0.0};
          }
          if (run.change.round > 0) {
            const int32_t* grp = s.sup_group[chosen].data();
            const double* w = s.sup_weight[chosen].data();
            for (size_t k = 0, k_n = s.sup_group[chosen].size(); k < k_n; ++k) {
              run.change.money_q += budget[grp[k]] * w[k];
            }
          }
          return RunStatus::kNotCertified;
        }
      }
    }
    [[maybe_unused]] double chosen_slope = 0;
    [[maybe_unused]] double fall_c = 0, fall_c_max = std::numeric_limits<double>::infinity();
    if constexpr (kFast) {
      // The derivative of p's price in the per-voter budget while its poor groups stay
      // poor (a guide for the span guess).
      auto price_slope = [&](int p, double rho) {
        const int32_t* grp = s.sup_group[p].data();
        const double* w = s.sup_weight[p].data();
        const double* u = s.sup_util[p].data();
        double poor_rate = 0, rich_util = 0;
        for (size_t k = 0, k_n = s.sup_group[p].size(); k < k_n; ++k) {
          Mask is_poor = Less(budget[grp[k]], rho * u[k]);
          poor_rate += Keep(is_poor, w[k] * slope[grp[k]]);
          rich_util += KeepNot(is_poor, w[k] * u[k]);
        }
        return rich_util > 0 ? -poor_rate / rich_util : 0.0;
      };
      // A proven lower bound on how fast p's rho (rho here) falls with the per-voter
      // budget between lo's budget and this run's: the growth rate of the groups
      // certainly poor here over the utility of all others (file comment).
      auto fall_rate = [&](int p, double rho) {
        const int32_t* grp = s.sup_group[p].data();
        const double* w = s.sup_weight[p].data();
        const double* u = s.sup_util[p].data();
        double poor_rate = 0, rich_util = 0;
        for (size_t k = 0, k_n = s.sup_group[p].size(); k < k_n; ++k) {
          Mask is_poor = Less(budget[grp[k]], rho * u[k] * (1 - kTolerance));
          poor_rate += Keep(is_poor, w[k] * rate[grp[k]]);
          rich_util += KeepNot(is_poor, w[k] * u[k]);
        }
        return rich_util > 0 ? poor_rate / rich_util * (1 - kTolerance) : 0.0;
      };
      // With lo: the funded project's fall rates, proven lower (fall_c) and upper
      // (fall_c_max) bounds (file comment), from the same pass as its slope.
      if (lo && !lo->first_unsure.empty()) {
        const int32_t* grp = s.sup_group[chosen].data();
        const double* w = s.sup_weight[chosen].data();
        const double* u = s.sup_util[chosen].data();
        const int32_t* unsure = lo->first_unsure.data();
        double poor_rate = 0, rich_util = 0, low_rate = 0, high_util = 0, growth = 0, sure_util = 0;
        for (size_t k = 0, k_n = s.sup_group[chosen].size(); k < k_n; ++k) {
          int32_t g = grp[k];
          double b = budget[g], pay = best * u[k], wu = w[k] * u[k];
          Mask is_poor = Less(b, pay);
          poor_rate += Keep(is_poor, w[k] * slope[g]);
          rich_util += KeepNot(is_poor, wu);
          Mask surely_poor = Less(b, pay * (1 - kTolerance));
          low_rate += Keep(surely_poor, w[k] * rate[g]);
          high_util += KeepNot(surely_poor, wu);
          bool sure = unsure[g] > round;
          growth += Keep(!sure, w[k] * grow[g]);
          sure_util += Keep(sure, wu);
        }
        chosen_slope = rich_util > 0 ? -poor_rate / rich_util : 0.0;
        if (high_util > 0) fall_c = low_rate / high_util * (1 - kTolerance);
        if (sure_util > 0) fall_c_max = growth / sure_util * (1 + kTolerance);
      } else {
        chosen_slope = price_slope(chosen, best);
      }
      // (rho, project) pairs become (project, rho).
      auto& ev = run.round_evaluated.emplace_back();
      ev.reserve(evaluated.size());
      for (const auto& [rho, p] : evaluated) ev.emplace_back(p, rho);
      evaluated_slope.assign(evaluated.size(), 0.0);
      for (size_t i = 0; i < evaluated.size(); ++i) {
        auto [rho, p] = evaluated[i];
        if (p == chosen || !(rho <= best * (1 + kGuess))) continue;
        double q_slope = price_slope(p, rho);
        evaluated_slope[i] = q_slope;
        // Where p's price, falling faster than the funded one's, would meet it.
        run.Guess(rho - best, q_slope - chosen_slope);
      }
      guess_from_dropped(best);
      if (lo) {
        // Pairs the run at lo's budget and this one do not settle by themselves (q's
        // rho here above c's there): left to the tests of Runner::Split.
        for (size_t i = 0; i < evaluated.size(); ++i) {
          auto [rho, p] = evaluated[i];
          if (p == chosen || rho > lo_rho * (1 + kTolerance)) continue;
          run.critical.push_back(
              {round, p, rho, evaluated_slope[i], fall_rate(p, rho), fall_c, fall_c_max});
        }
      }
    }
    if constexpr (kFast) {
      if (ref) {
        size_t idx = s.free_projects.size() + static_cast<size_t>(round) - 1;
        if (idx < ref->selected.size() && ref->selected[idx] == chosen) {
          double ref_rho = ref->round_rho[round - 1];
          slack += s.max_util_d[chosen] * std::max(0.0, ref_rho - best) +
                   s.max_util_d[chosen] * (ref_rho + best) * kTolerance;
        } else {
          ref = nullptr;
        }
      }
    }
    run.round_rho.push_back(ToDouble(best));
    run.selected.push_back(chosen);
    double max_payment = 0;
    if constexpr (kFast) {
      // The updates of the exact path below, without branches.
      const int32_t* grp = s.sup_group[chosen].data();
      const double* u = s.sup_util[chosen].data();
      double* bud = budget.data();
      double* sl = slope.data();
      int32_t* unsure = run.first_unsure.data();
      const int32_t* lo_unsure = lo && !lo->first_unsure.empty() ? lo->first_unsure.data() : nullptr;
      for (size_t k = 0, k_n = s.sup_group[chosen].size(); k < k_n; ++k) {
        int32_t g = grp[k];
        double b = bud[g], pay = best * u[k];
        if (lo) {
          // With lo, first the rates of the funded project's supporters: the lower
          // bound on a group's money growth gains the lower bound on the fall of its
          // payment if lo is sure it paid in full (at lo's budget, hence at every
          // budget of the range), else drops to 0; the upper bound gains the upper
          // bound on that fall, or drops to 0 when the group certainly pays all its
          // money here (hence at every budget up to here).
          bool sure = lo_unsure && lo_unsure[g] > round;
          rate[g] = Keep(sure, rate[g] + u[k] * fall_c);
          Mask broke = Less(b, pay * (1 - kTolerance));
          grow[g] = KeepNot(broke, grow[g] + u[k] * fall_c_max);
        }
        Mask is_poor = LessEq(b, pay);
        // The first round the group may not have paid in full: round if b <= pay * (1 +
        // kTolerance), else no change (selected by a mask, not a branch).
        int32_t maybe_poor = -static_cast<int32_t>(b <= pay * (1 + kTolerance));
        unsure[g] = std::min(unsure[g], INT32_MAX ^ ((INT32_MAX ^ round) & maybe_poor));
        max_payment = std::max(max_payment, std::min(b, pay));  // b if poor, else pay
        bud[g] = NotBelowZero(b - pay);
        sl[g] = KeepNot(is_poor, sl[g] - chosen_slope * u[k]);
      }
    } else {
      // Equal utilities: the payment is the same for every supporter.
      const bool uniform_pay = s.uniform[chosen] != 0 && !prof.supporters[chosen].empty();
      Num pay_all{}, pay_one{};
      if (uniform_pay) pay_all = best * FromInt<Num>(prof.supporters[chosen][0].utility);
      for (const auto& x : prof.supporters[chosen]) {
        if (!uniform_pay) pay_one = best * FromInt<Num>(x.utility);
        const Num& pay = uniform_pay ? pay_all : pay_one;
        if (budget[x.group] <= pay) {
          max_payment = std::max(max_payment, ToDouble(budget[x.group]));
          budget[x.group] = FromInt<Num>(0);
          if (!shadow.empty()) shadow[x.group] = 0;
        } else {
          budget[x.group] -= pay;
          if (!shadow.empty()) shadow[x.group] = ToDouble(budget[x.group]);
          max_payment = std::max(max_payment, ToDouble(pay));
        }
      }
    }
    if (explain) {
      run.round_of[chosen] = round;
      run.rho_of[chosen] = ToDouble(best);
      run.max_payment_of[chosen] = max_payment;
    }
    std::vector<int> next;
    next.reserve(remaining.size());
    for (int p : remaining) {
      if (p != chosen && !drop[p]) next.push_back(p);
    }
    remaining.swap(next);
  }
  run.cost = 0;
  for (int p : run.selected) run.cost += e.projects[p].cost;
  return RunStatus::kDone;
}

// Prices along a fixed sequence of funded projects (the splits of a certificate, see
// the file comment): budgets start at b0 and each round the next project of `seq` is
// funded at its price, as an MES run would if it chose that project. Double precision;
// every decision clears the margin kTolerance or the pass gives up.
class FollowPass {
 public:
  struct Probe {
    int round;    // 1-based
    int project;  // its price in that round is wanted
    double guess = 0;  // a guess of that price (0: none; see UniformPrice)
  };

  explicit FollowPass(const Setup& s) : s_(s) {}

  // After Run: the money behind each probe in its round.
  const std::vector<double>& money_probe() const { return money_probe_; }

  // Fills rho_funded[r - 1] for rounds 1..last_round (last_round <= seq.size()) and
  // rho_probe (infinite for a probe that is unaffordable); `probes` sorted by round,
  // each round <= last_round. `guess`, if set, guesses rho_funded. False if some
  // decision is uncertain.
  bool Run(double b0, const std::vector<int>& seq, int last_round,
           const std::vector<Probe>& probes, std::vector<double>& rho_funded,
           std::vector<double>& rho_probe, const std::vector<double>* guess = nullptr) {
    budget_.assign(s_.prof->weight.size(), b0);
    rho_funded.assign(last_round, 0);
    rho_probe.assign(probes.size(), 0);
    money_probe_.assign(probes.size(), 0);
    size_t next_probe = 0;
    for (int round = 1; round <= last_round; ++round) {
      int c = seq[round - 1];
      double rho = 0;
      // The funded project was affordable at the lower end of the certified range and
      // budgets only grow with b0 along a fixed sequence, so it is affordable here.
      double c_guess = guess && guess->size() >= static_cast<size_t>(round) ? (*guess)[round - 1] : 0;
      if (Price(c, /*check_money=*/false, c_guess, rho) != Status::kPrice) return false;
      rho_funded[round - 1] = rho;
      for (; next_probe < probes.size() && probes[next_probe].round == round; ++next_probe) {
        double q_rho = 0;
        Status st = Price(probes[next_probe].project, true, probes[next_probe].guess, q_rho);
        money_probe_[next_probe] = last_money_;
        if (st == Status::kUncertain) return false;
        rho_probe[next_probe] = st == Status::kUnaffordable
                                    ? std::numeric_limits<double>::infinity()
                                    : q_rho;
      }
      const int32_t* grp = s_.sup_group[c].data();
      const double* u = s_.sup_util[c].data();
      for (size_t k = 0, k_n = s_.sup_group[c].size(); k < k_n; ++k) {
        double pay = rho * u[k];
        double& b = budget_[grp[k]];
        b = NotBelowZero(b - pay);
      }
    }
    return true;
  }

 private:
  enum class Status { kPrice, kUnaffordable, kUncertain };

  // p's price at the current budgets: the fixed point of the poor/rich split. `guess`
  // (0: none) is where the split is tried first.
  Status Price(int p, bool check_money, double guess, double& rho) {
    if (s_.uniform[p]) return UniformPrice(p, check_money, guess, rho);
    const int32_t* grp = s_.sup_group[p].data();
    const double* w = s_.sup_weight[p].data();
    const double* u = s_.sup_util[p].data();
    size_t k_n = s_.sup_group[p].size();
    double c = static_cast<double>(s_.e->projects[p].cost);
    if (check_money) {
      double avail = 0;
      for (size_t k = 0; k < k_n; ++k) avail += budget_[grp[k]] * w[k];
      last_money_ = avail;
      if (avail < c * (1 - kTolerance)) return Status::kUnaffordable;
      if (avail < c * (1 + kTolerance)) return Status::kUncertain;
    }
    poor_.assign(k_n, 0);
    double poor_money = 0, rich_util = s_.total_util_d[p];
    while (true) {
      if (!(rich_util > 0)) return Status::kUncertain;
      rho = (c - poor_money) / rich_util;
      bool changed = false;
      for (size_t k = 0; k < k_n; ++k) {
        if (poor_[k]) continue;
        double b = budget_[grp[k]];
        if (b < rho * u[k]) {
          poor_[k] = 1;
          changed = true;
          poor_money += b * w[k];
          rich_util -= w[k] * u[k];
        }
      }
      if (!changed) return Status::kPrice;
    }
  }

  // The same fixed point for a project whose supporters all have utility u: the split
  // compares budgets with the payment rho * u. As in MesRun, the split is tried first
  // at the guessed payment and kept if consistent; else it is made at the larger of
  // the payment with nobody poor and the one the guessed split gave (both at most the
  // solution, see MesRun), and after that pass only the voters still rich are looked
  // at again.
  Status UniformPrice(int p, bool check_money, double guess, double& rho) {
    const int32_t* grp = s_.sup_group[p].data();
    const double* w = s_.sup_weight[p].data();
    size_t k_n = s_.sup_group[p].size();
    double u = s_.sup_util[p][0];
    double c = static_cast<double>(s_.e->projects[p].cost);
    double total_w = s_.total_util_d[p] / u;
    double pay0 = c / total_w;
    bool guessed = guess * u > pay0;
    double at = guessed ? guess * u : pay0;  // every budget below `at` is poor
    Split sp = SplitAt(budget_.data(), grp, w, k_n, at);
    if (check_money) {
      last_money_ = sp.avail;
      if (sp.avail < c * (1 - kTolerance)) return Status::kUnaffordable;
      if (sp.avail < c * (1 + kTolerance)) return Status::kUncertain;
    }
    double poor_money = sp.poor_money, rich_w = total_w - sp.poor_w;
    double pay = (c - poor_money) / rich_w;
    if (guessed && !Consistent(sp, rich_w, pay)) {
      guessed = false;
      at = rich_w > 0 && pay > pay0 ? pay : pay0;
      sp = SplitAt(budget_.data(), grp, w, k_n, at);
      poor_money = sp.poor_money;
      rich_w = total_w - sp.poor_w;
      pay = (c - poor_money) / rich_w;
    }
    if (!(rich_w > 0)) return Status::kUncertain;
    if (!guessed && sp.min_rich < pay) {
      rich_.resize(k_n);
      size_t n_rich = 0;
      for (size_t k = 0; k < k_n; ++k) {
        double b = budget_[grp[k]];
        rich_[n_rich] = {b, w[k]};
        n_rich += !(b < at);
      }
      rich_.resize(n_rich);
      while (true) {
        size_t kept = 0;
        for (size_t k = 0; k < rich_.size(); ++k) {
          bool is_poor = rich_[k].first < pay;
          Mask poor_mask = Less(rich_[k].first, pay);
          poor_money += Keep(poor_mask, rich_[k].first * rich_[k].second);
          rich_w -= Keep(poor_mask, rich_[k].second);
          rich_[kept] = rich_[k];
          kept += !is_poor;
        }
        if (kept == rich_.size()) break;
        rich_.resize(kept);
        if (!(rich_w > 0)) return Status::kUncertain;
        pay = (c - poor_money) / rich_w;
      }
    }
    rho = pay / u;
    return Status::kPrice;
  }

  const Setup& s_;
  double last_money_ = 0;
  std::vector<double> money_probe_;
  std::vector<double> budget_;
  std::vector<char> poor_;
  std::vector<std::pair<double, double>> rich_;  // (budget, weight) of rich supporters
};

// Runs MES at per-voter budget b0 (exact), using the fast path when it is certain.
struct Runner {
  const Setup& s;
  bool exact_only;
  int max_runs = 0;  // 0: no limit
  bool no_jumps = false;
  int runs = 0;
  int precise_runs = 0;  // uncertain double runs settled in extended precision
  int exact_runs = 0;
  int passes = 0;  // FollowPass runs made by certificates

  bool Exhausted() const { return max_runs > 0 && runs >= max_runs; }

  // `ref`, if set, is a done run at a lower budget (see MesRun).
  Run operator()(const mpq_class& b0, bool explain = false, const Run* ref = nullptr) {
    Run run;
    ++runs;
    if (!exact_only &&
        MesRun<double>(s, b0.get_d(), explain, run, nullptr, false, ref) == RunStatus::kDone) {
      return run;
    }
    if (!exact_only && kHavePrecise) {
      run = Run();
      if (MesRun<long double>(s, ToLongDouble(b0), explain, run) == RunStatus::kDone) {
        ++precise_runs;
        run.span = 0;  // a near tie: no jump from here
        return run;
      }
    }
    ++exact_runs;
    run = Run();
    MesRun<mpq_class>(s, b0, explain, run, nullptr, /*filter=*/true);
    run.span = 0;  // a near tie: no jump from here
    return run;
  }

  // q's rho in round `round` along run's funded sequence at run's per-voter budget
  // (infinite if q is unaffordable there, NaN if uncertain): a guide for jumps.
  double PriceAlong(const Run& run, int round, int q, double* money = nullptr) {
    size_t n_free = s.free_projects.size();
    if (run.drop_round.empty() || run.selected.size() < n_free + static_cast<size_t>(round)) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    std::vector<int> seq(run.selected.begin() + static_cast<std::ptrdiff_t>(n_free),
                         run.selected.end());
    FollowPass pass(s);
    std::vector<double> rho_funded, rho_probe;
    ++passes;
    // The funded projects' prices are run's own.
    if (!pass.Run(run.b0, seq, round, {{round, q}}, rho_funded, rho_probe, &run.round_rho)) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    if (money) *money = pass.money_probe()[0];
    return rho_probe[0];
  }

  // True, with the run at `hi` in `out`, if every per-voter budget between lo's and
  // `hi` certainly gives lo's outcome (see the file comment). `budget_at(k)` is the
  // per-voter budget of grid point k; lo is at grid point k_lo, hi at k_hi.
  template <class BudgetAt>
  bool Certify(int64_t k_lo, const Run& lo, int64_t k_hi, BudgetAt budget_at, Run& out) {
    if (exact_only || no_jumps || !lo.fast) return false;
    ++runs;
    if (MesRun<double>(s, budget_at(k_hi).get_d(), false, out, &lo, false, &lo) !=
        RunStatus::kDone) {
      return false;
    }
    return out.critical.empty() || Split(k_lo, lo, k_hi, out, budget_at);
  }

 private:
  // The splits: every critical pair (round r, project q) of the run at k_hi must lose
  // to the funded project c at every grid point in between. A pair is settled on
  // [k1, k2] when rho_q(k2) > rho_c(k1) (both monotone in the budget along the fixed
  // sequence), trivially when no grid point lies strictly inside; otherwise the range is
  // cut at a grid point km where one pass gives rho_c(km) and rho_q(km) (q must lose
  // at km itself) and both halves are tried again.
  template <class BudgetAt>
  bool Split(int64_t k_lo, const Run& lo, int64_t k_hi, const Run& hi, BudgetAt budget_at) {
    constexpr int kMaxPasses = 48;
    size_t n_free = s.free_projects.size();
    std::vector<int> seq(lo.selected.begin() + static_cast<std::ptrdiff_t>(n_free),
                         lo.selected.end());
    struct Pair {
      int round, project;
      // Both prices at the range's ends (NaN where unknown; only rho_c_lo and rho_q_hi
      // are needed to settle the pair, the others guide where to cut).
      double rho_c_lo, rho_q_lo, rho_c_hi, rho_q_hi;
      double fall_q, fall_c, fall_c_max;  // Run::Critical
      // Whether the pair is settled on [k1, k2] given rho_c at k1 and k2 and rho_q at
      // k2 (`width` = the per-voter budget at k2 minus that at k1). At b = b(k1) + t,
      // q's rho is at least rho_q + fall_q * (width - t), and c's at most both
      // rho_c1 - fall_c * t and rho_c2 + fall_c_max * (width - t). The largest of the
      // two gaps between these lines is convex in t, so positive on [0, width] if
      // positive at both ends and where the two gaps are equal.
      bool Settled(double rho_c1, double rho_q, double rho_c2, double width) const {
        auto gap1 = [&](double t) {
          return rho_q + fall_q * (width - t) - (rho_c1 - fall_c * t) * (1 + kTolerance);
        };
        auto gap2 = [&](double t) {
          return rho_q + fall_q * (width - t) -
                 (rho_c2 + fall_c_max * (width - t)) * (1 + kTolerance);
        };
        auto ok = [&](double t) { return gap1(t) > 0 || gap2(t) > 0; };
        if (!ok(0) || !ok(width)) return false;
        // gap1 - gap2 is linear in t: where it is zero.
        double d0 = gap1(0) - gap2(0), d1 = gap1(width) - gap2(width);
        if (std::isfinite(d0) && std::isfinite(d1) && (d0 > 0) != (d1 > 0)) {
          double t = width * d0 / (d0 - d1);
          // The crossing is computed in floating point: checks on either side of it.
          for (double x : {t * (1 - 1e-9), t, t * (1 + 1e-9)}) {
            if (x > 0 && x < width && !ok(x)) return false;
          }
        }
        return true;
      }
    };
    struct Range {
      int64_t k1, k2;
      std::vector<Pair> pairs;
    };
    constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    std::vector<Range> todo(1);
    todo[0].k1 = k_lo;
    todo[0].k2 = k_hi;
    double width = mpq_class(budget_at(k_hi) - budget_at(k_lo)).get_d();
    for (const auto& cr : hi.critical) {
      // q's rho at lo if lo evaluated it, else extrapolated from its slope at hi.
      double rho_q_lo = cr.slope < 0 ? cr.rho - cr.slope * width : kUnknown;
      for (auto [p, rho] : lo.round_evaluated[cr.round - 1]) {
        if (p == cr.project) rho_q_lo = rho;
      }
      Pair pr{cr.round, cr.project, lo.round_rho[cr.round - 1], rho_q_lo,
              hi.round_rho[cr.round - 1], cr.rho, cr.fall_q, cr.fall_c, cr.fall_c_max};
      if (!pr.Settled(pr.rho_c_lo, pr.rho_q_hi, pr.rho_c_hi, width)) todo[0].pairs.push_back(pr);
    }
    if (todo[0].pairs.empty()) return true;
    auto width_of = [&](int64_t k1, int64_t k2) {
      return mpq_class(budget_at(k2) - budget_at(k1)).get_d();
    };
    FollowPass pass(s);
    std::vector<FollowPass::Probe> probes;
    std::vector<double> rho_funded, rho_probe, guess;
    int used = 0;
    // Guesses for a pass (where its splits are tried first): prices taken as linear
    // in the per-voter budget between two known points.
    auto between = [](double x1, double x2, double t) {
      if (!std::isfinite(x1)) return std::isfinite(x2) ? x2 : 0.0;
      return std::isfinite(x2) ? x1 + (x2 - x1) * t : x1;
    };
    while (!todo.empty()) {
      Range r = std::move(todo.back());
      todo.pop_back();
      if (r.k2 - r.k1 <= 1) continue;
      if (++used > kMaxPasses) return false;
      int64_t km = CutPoint(r.k1, r.k2, width_of(r.k1, r.k2), r.pairs);
      std::sort(r.pairs.begin(), r.pairs.end(),
                [](const Pair& a, const Pair& b) { return a.round < b.round; });
      probes.clear();
      double t = width_of(r.k1, km) / width_of(r.k1, r.k2);
      for (const auto& pr : r.pairs) {
        probes.push_back({pr.round, pr.project, between(pr.rho_q_lo, pr.rho_q_hi, t)});
      }
      int last = r.pairs.back().round;
      double t_all = width_of(k_lo, km) / width;
      guess.assign(last, 0.0);
      for (int i = 0; i < last && static_cast<size_t>(i) < std::min(lo.round_rho.size(),
                                                                  hi.round_rho.size()); ++i) {
        guess[i] = between(lo.round_rho[i], hi.round_rho[i], t_all);
      }
      ++passes;
      if (!pass.Run(budget_at(km).get_d(), seq, last, probes, rho_funded, rho_probe, &guess)) {
        return false;
      }
      Range left{r.k1, km, {}}, right{km, r.k2, {}};
      for (size_t i = 0; i < r.pairs.size(); ++i) {
        const Pair& pr = r.pairs[i];
        double rho_c = rho_funded[pr.round - 1], rho_q = rho_probe[i];
        if (!(rho_q > rho_c * (1 + kTolerance))) return false;  // q may win at km
        if (!pr.Settled(pr.rho_c_lo, rho_q, rho_c, width_of(r.k1, km))) {
          left.pairs.push_back({pr.round, pr.project, pr.rho_c_lo, pr.rho_q_lo, rho_c, rho_q,
                                pr.fall_q, pr.fall_c, pr.fall_c_max});
        }
        if (!pr.Settled(rho_c, pr.rho_q_hi, pr.rho_c_hi, width_of(km, r.k2))) {
          right.pairs.push_back({pr.round, pr.project, rho_c, rho_q, pr.rho_c_hi, pr.rho_q_hi,
                                 pr.fall_q, pr.fall_c, pr.fall_c_max});
        }
      }
      if (!left.pairs.empty()) todo.push_back(std::move(left));
      if (!right.pairs.empty()) todo.push_back(std::move(right));
    }
    return true;
  }

  // Where to cut [k1, k2] (strictly inside; `width` in per-voter budget): prices taken
  // as linear between the ends, the cut should let both parts settle by the test of
  // Pair::Settled. Takes the middle of the cuts that do both for every pair, else the
  // lowest cut that settles the upper part (next to the crossing, the harder one).
  // Only the number of passes depends on this choice.
  template <class Pair>
  static int64_t CutPoint(int64_t k1, int64_t k2, double width, const std::vector<Pair>& pairs) {
    double len = static_cast<double>(k2 - k1);
    double lo = static_cast<double>(k1), hi = static_cast<double>(k2);
    for (const auto& pr : pairs) {
      // Prices taken as linear between the ends. The upper part settles when c's price
      // at the cut, minus q's at k2, stays below what fall_q gives over the part: it
      // closes the gap at k2 at rate (fall of c) - fall_q.
      double fall_c = (pr.rho_c_lo - pr.rho_c_hi) / width;
      double closing = fall_c - pr.fall_q;
      if (closing > 0) {
        double steps = 0.9 * (pr.rho_q_hi - pr.rho_c_hi) / closing / width * len;
        lo = std::max(lo, static_cast<double>(k2) - steps);
      }
      // The lower part settles while q's price at the cut plus what fall_q gives stays
      // above c's price at k1: the gap at k1 closes at rate (fall of q) - fall_q.
      double fall_q = (pr.rho_q_lo - pr.rho_q_hi) / width;
      double opening = fall_q - pr.fall_q;
      if (opening > 0) {
        double steps = 0.9 * (pr.rho_q_lo - pr.rho_c_lo) / opening / width * len;
        hi = std::min(hi, static_cast<double>(k1) + steps);
      }
    }
    double target = lo <= hi ? (lo + hi) / 2 : lo;
    int64_t km = std::isfinite(target) ? static_cast<int64_t>(std::llround(target))
                                       : k1 + (k2 - k1) / 2;
    return std::clamp(km, k1 + 1, k2 - 1);
  }
};

// The add1 completions' walk over per-voter budgets base + k * unit, k = 1, 2, ...,
// from a done run at some budget below base + unit. Each step either moves to the next
// budget or jumps to a later one that certifies every budget skipped (and its own)
// gives the current outcome, so the completions see the same sequence of outcomes as
// a walk one unit at a time. The jump tried first is the run's guess of where the
// outcome changes (Run::span), else one that doubles while jumps succeed; a failed
// jump is halved.
class BudgetWalk {
 public:
  BudgetWalk(Runner& runner, mpq_class base, mpq_class unit, mpq_class b, Run run)
      : runner_(runner), base_(std::move(base)), unit_(std::move(unit)), b_(std::move(b)),
        run_(std::move(run)) {}

  const mpq_class& budget() const { return b_; }
  const Run& run() const { return run_; }
  Run& run() { return run_; }

  void Advance() {
    // Without a guess, jumps are tried only after a few equal outcomes in a row: where
    // outcomes change at almost every step (Praga-Południe) a failed certificate is a
    // wasted run.
    int64_t jump = streak_ >= kStreak ? jump_ : 0;
    if (run_.span < std::numeric_limits<double>::infinity()) {
      // The last grid point before the guessed change.
      double steps = run_.span / unit_.get_d();
      jump = steps < static_cast<double>(kMaxJump) ? static_cast<int64_t>(steps) : kMaxJump;
    }
    fails_ = 0;
    if (failed_ > k_) jump = std::min(FailedTry(), failed_ - k_ - 1);
    auto budget_at = [this](int64_t k) { return Step(k); };
    while (jump > 1 && !runner_.Exhausted()) {
      Run certified;
      if (runner_.Certify(k_, run_, k_ + jump, budget_at, certified)) {
        k_ += jump;
        b_ = Step(k_);
        run_ = std::move(certified);
        jump_ = std::min(2 * jump, kMaxJump);
        return;
      }
      failed_ = k_ + jump;
      change_ = certified.change;
      jump = FailedTry();
      ++fails_;
    }
    jump_ = 2;
    ++k_;
    b_ = Step(k_);
    Run next = runner_(b_, false, &run_);
    streak_ = next.selected == run_.selected ? streak_ + 1 : 0;
    if (streak_ == 0) failed_ = -1;
    run_ = std::move(next);
  }

 private:
  // The jump to try when a run at failed_ (> k_) did not certify: where the gap between
  // the two prices of the round that changed (change_), taken as linear in the
  // per-voter budget between the current run and the failed one, closes; else half
  // the way to failed_.
  int64_t FailedTry() {
    int64_t d = failed_ - k_;
    const Run::Change& ch = change_;
    size_t idx = runner_.s.free_projects.size() + static_cast<size_t>(ch.round) - 1;
    if (ch.round == 0 || run_.round_rho.size() < static_cast<size_t>(ch.round) ||
        run_.round_evaluated.size() < static_cast<size_t>(ch.round) ||
        idx >= run_.selected.size() || run_.selected[idx] != ch.c) {
      return d / 2;
    }
    double rho_q = std::numeric_limits<double>::quiet_NaN();
    for (auto [p, rho] : run_.round_evaluated[ch.round - 1]) {
      if (p == ch.q) rho_q = rho;
    }
    double money = 0;
    if (std::isnan(rho_q)) rho_q = runner_.PriceAlong(run_, ch.round, ch.q, &money);
    double gap = rho_q - run_.round_rho[ch.round - 1];
    double gap_failed = ch.rho_q - ch.rho_c;
    if (rho_q == std::numeric_limits<double>::infinity()) {
      // q was unaffordable here: where its money reaches its cost.
      double cost = static_cast<double>(runner_.s.e->projects[ch.q].cost);
      gap = cost - money;
      gap_failed = cost - ch.money_q;
    }
    // After repeated failures from the same run the gap here is discounted (the
    // Illinois variant of regula falsi), as a strongly curved gap keeps the estimate
    // next to the failed point.
    gap = std::ldexp(gap, -std::min(fails_, 30));
    if (!(gap > 0) || !(gap_failed < gap) || !std::isfinite(gap)) return d / 2;
    double x = static_cast<double>(d) * gap / (gap - gap_failed);
    return std::clamp(static_cast<int64_t>(std::ceil(x)) - 1, int64_t{0}, d - 1);
  }

  mpq_class Step(int64_t k) const { return base_ + mpq_class(mpz_class(static_cast<long>(k))) * unit_; }

  Runner& runner_;
  mpq_class base_, unit_, b_;
  Run run_;
  int64_t k_ = 0;
  static constexpr int64_t kMaxJump = int64_t{1} << 40;
  int64_t jump_ = 2;
  static constexpr int kStreak = 2;
  int streak_ = 0;
  // A grid point above k_ whose run did not certify the current outcome (-1: none),
  // and what changed there.
  int64_t failed_ = -1;
  Run::Change change_;
  int fails_ = 0;  // failures in a row from the current run
};

bool Exhaustive(const Setup& s, const Run& run) {
  std::vector<char> in(s.e->projects.size(), 0);
  for (int p : run.selected) in[p] = 1;
  for (int p : s.candidates) {
    if (!in[p] && run.cost + s.e->projects[p].cost <= s.e->budget) return false;
  }
  return true;
}

std::string FormatDouble(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// Runs MES with `completion` (except the utilitarian top-up, applied by the caller)
// and returns the final run's per-voter budget.
// Sets `over_limit` and stops early if the runner's run limit is reached.
mpq_class Complete(const Setup& s, Runner& runner, Completion completion, bool& over_limit) {
  over_limit = false;
  const Election& e = *s.e;
  const Profile& prof = *s.prof;
  const mpq_class n(mpz_class(static_cast<long>(prof.num_voters)));
  mpq_class b0 = mpq_class(mpz_class(static_cast<long>(e.budget))) / n;
  mpz_class unit = 1;
  for (int i = 0; i < e.cost_decimals; ++i) unit *= 10;
  Run run = runner(b0);
  mpq_class final_budget = b0;
  auto selects_everything = [&](const Run& r) {
    return r.selected.size() == s.candidates.size() + s.free_projects.size();
  };
  switch (completion) {
    case Completion::kNone:
    case Completion::kUtilitarian:
      break;
    case Completion::kAdd1: {
      // pabutools: the previous outcome starts as the empty allocation plus free
      // projects, at b0 (so an overspending first run gives b0).
      mpq_class previous_budget = b0;
      BudgetWalk walk(runner, b0, mpq_class(unit), b0, std::move(run));
      while (true) {
        if (walk.run().cost > e.budget) {
          final_budget = previous_budget;
          break;
        }
        if (Exhaustive(s, walk.run())) {
          final_budget = walk.budget();
          break;
        }
        if (runner.Exhausted()) {
          over_limit = true;
          break;
        }
        previous_budget = walk.budget();
        walk.Advance();
      }
      break;
    }
    case Completion::kAdd1Checker: {
      mpz_class per_voter_floor = (mpz_class(static_cast<long>(e.budget)) /
                                   (mpz_class(static_cast<long>(prof.num_voters)) * unit)) * unit;
      // Beyond the point where every supported project is funded more money changes
      // nothing, so the loop also ends there.
      bool everything = selects_everything(run);
      BudgetWalk walk(runner, mpq_class(per_voter_floor), mpq_class(unit), b0, std::move(run));
      while (!everything) {
        if (runner.Exhausted()) {
          over_limit = true;
          break;
        }
        walk.Advance();
        if (walk.run().cost > e.budget) break;
        final_budget = walk.budget();
        everything = selects_everything(walk.run());
      }
      break;
    }
  }
  return final_budget;
}

// Greedy top-up by number of supporters (then project_id) over what MES left.
void UtilitarianTopUp(const Election& e, const Profile& prof, std::vector<int>& selected,
                      std::vector<ProjectStory>* stories) {
  std::vector<char> in(e.projects.size(), 0);
  int64_t cost = 0;
  for (int p : selected) {
    in[p] = 1;
    cost += e.projects[p].cost;
  }
  std::vector<int> order(e.projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (prof.supporter_count[a] != prof.supporter_count[b]) {
      return prof.supporter_count[a] > prof.supporter_count[b];
    }
    return internal::IdLess(e, a, b);
  });
  for (int p : order) {
    if (in[p] || cost + e.projects[p].cost > e.budget) continue;
    cost += e.projects[p].cost;
    selected.push_back(p);
    if (stories) {
      (*stories)[p].selected = true;
      (*stories)[p].detail += "; then funded by the utilitarian completion (" +
                              std::to_string(prof.supporter_count[p]) + " votes)";
    }
  }
}

Result<Outcome> EqualSharesImpl(const Election& e, Utility utility, Completion completion,
                                bool exact_only, int max_runs, bool no_jumps = false) {
  ASSIGN_OR_RETURN(Profile prof, internal::BuildProfile(e, utility));
  Outcome out;
  out.rule = "mes/" + internal::UtilityName(utility) + "/" + internal::CompletionName(completion);
  if (prof.num_voters == 0) {
    internal::FinishOutcome(e, out);
    return out;
  }
  Setup s = MakeSetup(e, prof);
  Runner runner{s, exact_only, max_runs, no_jumps};
  bool over_limit = false;
  mpq_class final_budget = Complete(s, runner, completion, over_limit);
  if (over_limit) {
    return Error::Unavailable("the MES completion did not finish within " +
                              std::to_string(max_runs) + " runs");
  }
  // The explanation comes from one more run at the final budget with details on.
  Run detailed = runner(final_budget, true);
  --runner.runs;
  out.selected = detailed.selected;
  out.per_voter_budget = final_budget;
  out.mes_runs = runner.runs;
  out.precise_runs = runner.precise_runs;
  out.exact_runs = runner.exact_runs;
  out.mes_passes = runner.passes;
  internal::FinishOutcome(e, out);
  for (size_t p = 0; p < e.projects.size(); ++p) {
    ProjectStory& st = out.stories[p];
    const auto& sup_count = prof.supporter_count[p];
    if (st.selected) {
      st.rank = detailed.round_of[p];
      if (e.projects[p].cost == 0) {
        st.detail = "funded up front: it costs nothing";
      } else {
        st.detail = "funded in round " + std::to_string(st.rank) + " at a price of " +
                    FormatDouble(detailed.rho_of[p]) + " per unit of satisfaction; the " +
                    std::to_string(sup_count) + " supporters paid at most " +
                    FormatDouble(detailed.max_payment_of[p] /
                                 std::pow(10.0, e.cost_decimals)) + " each";
      }
    } else if (sup_count == 0) {
      st.detail = "not funded: nobody supports it";
    } else {
      st.detail = "not funded: in round " + std::to_string(detailed.dropped_round[p]) +
                  " its " + std::to_string(sup_count) + " supporters had " +
                  FormatDouble(detailed.money_behind[p] / std::pow(10.0, e.cost_decimals)) +
                  " left in total, less than its cost " + e.FormatMoney(e.projects[p].cost) +
                  "; " + std::to_string(detailed.broke_supporters[p]) +
                  " of them had spent all their money";
    }
  }
  if (completion == Completion::kUtilitarian) {
    UtilitarianTopUp(e, prof, out.selected, &out.stories);
    internal::FinishOutcome(e, out);
  }
  return out;
}

}  // namespace

namespace internal {
std::optional<std::vector<int>> MesSelect(const Election& e, const Profile& prof,
                                          Completion completion, int max_runs, int64_t* runs) {
  if (prof.num_voters == 0) return std::vector<int>();
  Setup s = MakeSetup(e, prof);
  Runner runner{s, false, max_runs};
  bool over_limit = false;
  mpq_class final_budget = Complete(s, runner, completion, over_limit);
  if (over_limit) {
    if (runs) *runs += runner.runs;
    return std::nullopt;
  }
  Run run = runner(final_budget);
  if (runs) *runs += runner.runs;
  if (completion == Completion::kUtilitarian) UtilitarianTopUp(e, prof, run.selected, nullptr);
  return run.selected;
}
}  // namespace internal

Result<Outcome> EqualShares(const Election& e, Utility utility, Completion completion,
                            int max_runs) {
  return EqualSharesImpl(e, utility, completion, false, max_runs);
}

Result<Outcome> EqualSharesExactOnly(const Election& e, Utility utility, Completion completion) {
  return EqualSharesImpl(e, utility, completion, true, 0);
}

Result<Outcome> EqualSharesStepByStep(const Election& e, Utility utility, Completion completion) {
  return EqualSharesImpl(e, utility, completion, false, 0, true);
}

}  // namespace communitise::pb
