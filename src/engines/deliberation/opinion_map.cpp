#include "communitise/deliberation/opinion_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>

#include "random.h"

namespace communitise::deliberation {
namespace {

double SquaredDistance(const Point2& a, const Point2& b) {
  const double dx = a.x - b.x;
  const double dy = a.y - b.y;
  return dx * dx + dy * dy;
}

Status ValidateOptions(const OpinionMapOptions& o) {
  std::vector<FieldError> fields;
  if (o.min_votes < 1) fields.push_back({"min_votes", "must be at least 1"});
  if (o.min_clustered < 0) fields.push_back({"min_clustered", "cannot be negative"});
  if (o.base_clusters < 2) fields.push_back({"base_clusters", "must be at least 2"});
  if (o.max_groups < 2) fields.push_back({"max_groups", "must be at least 2"});
  if (o.pca_max_iterations < 1) fields.push_back({"pca_max_iterations", "must be at least 1"});
  if (!(o.pca_tolerance > 0)) fields.push_back({"pca_tolerance", "must be positive"});
  if (o.base_kmeans_iterations < 1 || o.group_kmeans_iterations < 1) {
    fields.push_back({"kmeans_iterations", "must be at least 1"});
  }
  if (o.group_restarts < 1) fields.push_back({"group_restarts", "must be at least 1"});
  if (o.max_representative < 0 || o.max_consensus < 0 || o.max_divisive < 0) {
    fields.push_back({"list_sizes", "cannot be negative"});
  }
  if (!fields.empty()) {
    return Error::InvalidArgument("The opinion map options are not valid", std::move(fields));
  }
  return Status::Ok();
}

// W = G V for the two columns of V, where G = C^T C and C is the centred vote matrix
// (zero where nobody voted): one pass over the votes serves both vectors.
void GramTimes(const VoteMatrix& votes, const std::vector<double>& means,
               const std::array<std::vector<double>, 2>& v,
               std::array<std::vector<double>, 2>& w) {
  std::fill(w[0].begin(), w[0].end(), 0.0);
  std::fill(w[1].begin(), w[1].end(), 0.0);
  const double* mean = means.data();
  const double* v0 = v[0].data();
  const double* v1 = v[1].data();
  double* w0 = w[0].data();
  double* w1 = w[1].data();
  for (std::int32_t p = 0; p < votes.num_participants(); ++p) {
    const auto cols = votes.StatementsOf(p);
    const auto vals = votes.VotesOf(p);
    double s0 = 0, s1 = 0;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const std::int32_t j = cols[k];
      const double c = vals[k] - mean[j];
      s0 += c * v0[j];
      s1 += c * v1[j];
    }
    if (s0 == 0 && s1 == 0) continue;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const std::int32_t j = cols[k];
      const double c = vals[k] - mean[j];
      w0[j] += s0 * c;
      w1[j] += s1 * c;
    }
  }
}

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t j = 0; j < a.size(); ++j) s += a[j] * b[j];
  return s;
}

double Norm(const std::vector<double>& x) { return std::sqrt(Dot(x, x)); }

// Gram-Schmidt on the pair, in place. A column with (numerically) nothing left after
// orthogonalisation becomes all zero: the matrix has fewer than two directions of
// variance. Returns false when the first column is zero too.
bool Orthonormalise(std::array<std::vector<double>, 2>& q) {
  const double n0 = Norm(q[0]);
  if (!(n0 > 1e-12)) {
    std::fill(q[0].begin(), q[0].end(), 0.0);
    std::fill(q[1].begin(), q[1].end(), 0.0);
    return false;
  }
  for (double& e : q[0]) e /= n0;
  const double before = Norm(q[1]);
  const double dot = Dot(q[0], q[1]);
  for (std::size_t j = 0; j < q[1].size(); ++j) q[1][j] -= dot * q[0][j];
  const double n1 = Norm(q[1]);
  if (!(n1 > 1e-10 * std::max(before, n0))) {
    std::fill(q[1].begin(), q[1].end(), 0.0);
  } else {
    for (double& e : q[1]) e /= n1;
  }
  return true;
}

// Fix the sign so the result does not depend on the start: the largest entry is positive.
void FixSign(std::vector<double>& v) {
  std::size_t largest = 0;
  for (std::size_t j = 1; j < v.size(); ++j) {
    if (std::abs(v[j]) > std::abs(v[largest]) + 1e-12) largest = j;
  }
  if (!v.empty() && v[largest] < 0) {
    for (double& e : v) e = -e;
  }
}

// The top two eigenvectors of G by block power iteration (subspace iteration) from a
// seeded random start, finished by a Rayleigh-Ritz step that rotates the converged plane
// onto the eigenvectors. This is Polis' power iteration run on both vectors at once:
// one pass over the votes per step instead of two, and the plane converges at the rate
// lambda3/lambda2 even when the two leading eigenvalues are close.
void TopTwoEigenvectors(const VoteMatrix& votes, const OpinionMapOptions& options,
                        SplitMix64& rng, Pca& pca) {
  const std::size_t m = pca.means.size();
  std::array<std::vector<double>, 2> v{std::vector<double>(m), std::vector<double>(m)};
  std::array<std::vector<double>, 2> w{std::vector<double>(m), std::vector<double>(m)};
  for (std::size_t j = 0; j < m; ++j) {
    v[0][j] = rng.Uniform() + 0.5;  // positive, like Polis' all-ones start
    v[1][j] = rng.Uniform() - 0.5;
  }
  pca.components = {std::vector<double>(m, 0.0), std::vector<double>(m, 0.0)};
  if (!Orthonormalise(v)) return;
  for (std::int32_t it = 0; it < options.pca_max_iterations; ++it) {
    pca.iterations[0] = it + 1;
    GramTimes(votes, pca.means, v, w);
    if (!Orthonormalise(w)) return;  // no variance at all
    // Distance between the old and new planes: what is left of w after projecting on v.
    double moved = 0;
    for (int c = 0; c < 2; ++c) {
      const double a = Dot(v[0], w[c]);
      const double b = Dot(v[1], w[c]);
      for (std::size_t j = 0; j < m; ++j) {
        const double r = w[c][j] - a * v[0][j] - b * v[1][j];
        moved += r * r;
      }
    }
    v.swap(w);
    if (std::sqrt(moved) < options.pca_tolerance) break;
  }
  pca.iterations[1] = pca.iterations[0];
  // Rayleigh-Ritz: H = V^T G V (2 x 2, symmetric), then rotate V by H's eigenvectors.
  GramTimes(votes, pca.means, v, w);
  const double a = Dot(v[0], w[0]);
  const double b = 0.5 * (Dot(v[0], w[1]) + Dot(v[1], w[0]));
  const double d = Dot(v[1], w[1]);
  const double mid = 0.5 * (a + d);
  const double radius = std::sqrt(0.25 * (a - d) * (a - d) + b * b);
  double c0 = 1, c1 = 0;  // eigenvector of H for the larger eigenvalue
  if (std::abs(b) > 1e-300) {
    c0 = mid + radius - d;
    c1 = b;
    const double n = std::hypot(c0, c1);
    c0 /= n;
    c1 /= n;
  } else if (d > a) {
    c0 = 0;
    c1 = 1;
  }
  const bool second_exists = Norm(v[1]) > 0;
  for (std::size_t j = 0; j < m; ++j) {
    pca.components[0][j] = c0 * v[0][j] + c1 * v[1][j];
    if (second_exists) pca.components[1][j] = -c1 * v[0][j] + c0 * v[1][j];
  }
  pca.eigenvalues = {mid + radius, second_exists ? std::max(0.0, mid - radius) : 0.0};
  FixSign(pca.components[0]);
  FixSign(pca.components[1]);
}

// k-means++ seeding over weighted points: each next centre is drawn with probability
// proportional to weight x squared distance to the nearest centre so far. Stops early
// when every point coincides with a centre, so it never returns duplicate centres.
std::vector<Point2> SeedCentres(const std::vector<Point2>& points,
                                const std::vector<double>& weights, std::int32_t k,
                                SplitMix64& rng) {
  std::vector<Point2> centres;
  if (points.empty() || k < 1) return centres;
  const std::size_t n = points.size();
  double total_weight = 0;
  for (double w : weights) total_weight += w;
  // First centre: drawn by weight.
  {
    double r = rng.Uniform() * total_weight;
    std::size_t pick = n - 1;
    for (std::size_t i = 0; i < n; ++i) {
      r -= weights[i];
      if (r < 0) {
        pick = i;
        break;
      }
    }
    centres.push_back(points[pick]);
  }
  std::vector<double> nearest(n);
  for (std::size_t i = 0; i < n; ++i) nearest[i] = SquaredDistance(points[i], centres[0]);
  while (static_cast<std::int32_t>(centres.size()) < k) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i] * nearest[i];
    if (!(total > 0)) break;
    double r = rng.Uniform() * total;
    std::size_t pick = n;
    for (std::size_t i = 0; i < n; ++i) {
      r -= weights[i] * nearest[i];
      if (r < 0 && nearest[i] > 0) {
        pick = i;
        break;
      }
    }
    if (pick == n) {  // rounding left r >= 0: take the last point not yet a centre
      for (std::size_t i = n; i-- > 0;) {
        if (nearest[i] > 0) {
          pick = i;
          break;
        }
      }
    }
    centres.push_back(points[pick]);
    for (std::size_t i = 0; i < n; ++i) {
      nearest[i] = std::min(nearest[i], SquaredDistance(points[i], centres.back()));
    }
  }
  return centres;
}

struct KMeansResult {
  std::vector<Point2> centres;
  std::vector<std::int32_t> assignment;
  double inertia = 0;  // weighted within-cluster sum of squares
};

// Lloyd's algorithm from the given centres. Clusters left empty keep their centre and
// are removed at the end (assignments renumbered).
KMeansResult Lloyd(const std::vector<Point2>& points, const std::vector<double>& weights,
                   std::vector<Point2> centres, std::int32_t max_iterations) {
  const std::size_t n = points.size();
  const std::size_t k = centres.size();
  KMeansResult r;
  r.assignment.assign(n, -1);
  std::vector<double> sx(k), sy(k), sw(k);
  for (std::int32_t it = 0; it < max_iterations; ++it) {
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      std::int32_t best = 0;
      double best_d = std::numeric_limits<double>::infinity();
      for (std::size_t c = 0; c < k; ++c) {
        const double d = SquaredDistance(points[i], centres[c]);
        if (d < best_d) {
          best_d = d;
          best = static_cast<std::int32_t>(c);
        }
      }
      if (r.assignment[i] != best) {
        r.assignment[i] = best;
        changed = true;
      }
    }
    if (!changed && it > 0) break;
    std::fill(sx.begin(), sx.end(), 0.0);
    std::fill(sy.begin(), sy.end(), 0.0);
    std::fill(sw.begin(), sw.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t c = r.assignment[i];
      sx[c] += weights[i] * points[i].x;
      sy[c] += weights[i] * points[i].y;
      sw[c] += weights[i];
    }
    for (std::size_t c = 0; c < k; ++c) {
      if (sw[c] > 0) centres[c] = Point2{sx[c] / sw[c], sy[c] / sw[c]};
    }
  }
  // Drop empty clusters.
  std::vector<double> used(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) used[r.assignment[i]] += weights[i];
  std::vector<std::int32_t> renumber(k, -1);
  for (std::size_t c = 0; c < k; ++c) {
    if (used[c] > 0) {
      renumber[c] = static_cast<std::int32_t>(r.centres.size());
      r.centres.push_back(centres[c]);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    r.assignment[i] = renumber[r.assignment[i]];
    r.inertia += weights[i] * SquaredDistance(points[i], r.centres[r.assignment[i]]);
  }
  return r;
}

// Silhouette of a clustering of weighted points, each point standing for `weight`
// coincident participants (so it approximates the participant-level silhouette).
double WeightedSilhouette(const std::vector<Point2>& points, const std::vector<double>& weights,
                          const std::vector<std::int32_t>& assignment, std::int32_t k) {
  const std::size_t n = points.size();
  std::vector<double> cluster_weight(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) cluster_weight[assignment[i]] += weights[i];
  double total = 0, total_weight = 0;
  std::vector<double> dist_sum(k);
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(dist_sum.begin(), dist_sum.end(), 0.0);
    for (std::size_t j = 0; j < n; ++j) {
      dist_sum[assignment[j]] += weights[j] * std::sqrt(SquaredDistance(points[i], points[j]));
    }
    const std::int32_t own = assignment[i];
    double s = 0;
    if (cluster_weight[own] > 1) {
      const double a = dist_sum[own] / (cluster_weight[own] - 1);
      double b = std::numeric_limits<double>::infinity();
      for (std::int32_t c = 0; c < k; ++c) {
        if (c != own && cluster_weight[c] > 0) b = std::min(b, dist_sum[c] / cluster_weight[c]);
      }
      const double denom = std::max(a, b);
      if (std::isfinite(b) && denom > 0) s = (b - a) / denom;
    }
    total += weights[i] * s;
    total_weight += weights[i];
  }
  return total_weight > 0 ? total / total_weight : 0.0;
}

std::string GroupLabel(std::size_t index) {
  std::string label;
  std::size_t i = index + 1;
  while (i > 0) {
    --i;
    label.insert(label.begin(), static_cast<char>('A' + i % 26));
    i /= 26;
  }
  return label;
}

double Laplace(std::int32_t successes, std::int32_t trials) {
  return (successes + 1.0) / (trials + 2.0);
}

// Polis' representativeness statistics of one statement for one group.
struct RepStats {
  double pa, pd, pat, pdt, ra, rd, rat, rdt;
};

RepStats ComputeRepStats(const VoteCounts& in, const VoteCounts& rest) {
  RepStats s;
  s.pa = Laplace(in.agree, in.seen());
  s.pd = Laplace(in.disagree, in.seen());
  s.pat = ProportionTest(in.agree, in.seen());
  s.pdt = ProportionTest(in.disagree, in.seen());
  s.ra = s.pa / Laplace(rest.agree, rest.seen());
  s.rd = s.pd / Laplace(rest.disagree, rest.seen());
  s.rat = TwoProportionTest(in.agree, rest.agree, in.seen(), rest.seen());
  s.rdt = TwoProportionTest(in.disagree, rest.disagree, in.seen(), rest.seen());
  return s;
}

RepresentativeStatement MakeRepresentative(std::int32_t statement, Direction d,
                                           const VoteCounts& in, const RepStats& s) {
  RepresentativeStatement r;
  r.statement = statement;
  r.direction = d;
  r.in_group_seen = in.seen();
  if (d == Direction::kAgree) {
    r.in_group_count = in.agree;
    r.probability = s.pa;
    r.probability_test = s.pat;
    r.repness = s.ra;
    r.repness_test = s.rat;
  } else {
    r.in_group_count = in.disagree;
    r.probability = s.pd;
    r.probability_test = s.pdt;
    r.repness = s.rd;
    r.repness_test = s.rdt;
  }
  return r;
}

// Polis' selection: statements whose agree (or disagree) is significant both within the
// group and against the other groups, ranked by ra*rat*pa*pat, at most `limit`, agrees
// listed before disagrees. When none qualifies, the single statement with the strongest
// two-proportion test (among those the group voted on) stands in, so every group has one.
std::vector<RepresentativeStatement> SelectRepresentative(
    const std::vector<StatementStats>& stats, std::size_t g, const std::vector<VoteCounts>& total,
    std::int32_t limit) {
  std::vector<RepresentativeStatement> sufficient;
  std::optional<RepresentativeStatement> best;
  double best_test = -std::numeric_limits<double>::infinity();
  for (const StatementStats& st : stats) {
    const VoteCounts& in = st.by_group[g];
    const VoteCounts& all = total[st.statement];
    const VoteCounts rest{all.agree - in.agree, all.disagree - in.disagree, all.pass - in.pass};
    const RepStats s = ComputeRepStats(in, rest);
    const bool agree_ok = Significant90(s.rat) && Significant90(s.pat);
    const bool disagree_ok = Significant90(s.rdt) && Significant90(s.pdt);
    if (agree_ok || disagree_ok) {
      const Direction d =
          agree_ok && (!disagree_ok || s.rat >= s.rdt) ? Direction::kAgree : Direction::kDisagree;
      sufficient.push_back(MakeRepresentative(st.statement, d, in, s));
    } else if (sufficient.empty() && in.agree + in.disagree > 0 &&
               std::max(s.rat, s.rdt) > best_test) {
      best_test = std::max(s.rat, s.rdt);
      best = MakeRepresentative(st.statement, s.rat > s.rdt ? Direction::kAgree
                                                           : Direction::kDisagree,
                                in, s);
    }
  }
  if (sufficient.empty()) {
    if (best && limit > 0) return {*best};
    return {};
  }
  std::stable_sort(sufficient.begin(), sufficient.end(),
                   [](const RepresentativeStatement& a, const RepresentativeStatement& b) {
                     return a.metric() > b.metric();
                   });
  if (static_cast<std::int32_t>(sufficient.size()) > limit) sufficient.resize(limit);
  std::stable_partition(sufficient.begin(), sufficient.end(), [](const auto& r) {
    return r.direction == Direction::kAgree;
  });
  return sufficient;
}

// Two-level clustering of the clustered participants' points (see the header).
void Cluster(const OpinionMapOptions& options, SplitMix64& rng, OpinionMap& map) {
  std::vector<std::int32_t> members;
  std::vector<Point2> points;
  for (std::int32_t p = 0; p < map.num_participants; ++p) {
    if (map.participants[p].clustered) {
      members.push_back(p);
      points.push_back(map.participants[p].position);
    }
  }
  if (points.empty()) return;

  // Level 1: base clusters.
  const std::vector<double> unit(points.size(), 1.0);
  KMeansResult base = Lloyd(points, unit, SeedCentres(points, unit, options.base_clusters, rng),
                            options.base_kmeans_iterations);
  map.base_centroids = base.centres;
  const std::size_t nb = base.centres.size();
  std::vector<double> base_weight(nb, 0.0);
  for (std::size_t i = 0; i < members.size(); ++i) {
    map.base_cluster_of[members[i]] = base.assignment[i];
    base_weight[base.assignment[i]] += 1;
  }

  // Level 2: groups of base clusters.
  std::vector<std::int32_t> group_of_base(nb, 0);
  std::int32_t num_groups = 1;
  if (nb >= 2) {
    const std::int32_t max_k = std::min<std::int32_t>(
        {options.max_groups, 2 + static_cast<std::int32_t>(nb / 12), static_cast<std::int32_t>(nb)});
    double best_silhouette = -std::numeric_limits<double>::infinity();
    for (std::int32_t k = 2; k <= max_k; ++k) {
      std::optional<KMeansResult> best_run;
      for (std::int32_t r = 0; r < options.group_restarts; ++r) {
        KMeansResult run = Lloyd(map.base_centroids, base_weight,
                                 SeedCentres(map.base_centroids, base_weight, k, rng),
                                 options.group_kmeans_iterations);
        if (static_cast<std::int32_t>(run.centres.size()) == k &&
            (!best_run || run.inertia < best_run->inertia)) {
          best_run = std::move(run);
        }
      }
      if (!best_run) continue;
      const double s = WeightedSilhouette(map.base_centroids, base_weight, best_run->assignment, k);
      if (s > best_silhouette + 1e-12) {
        best_silhouette = s;
        group_of_base = best_run->assignment;
        num_groups = k;
      }
    }
    map.silhouette = num_groups >= 2 ? best_silhouette : 0.0;
  }

  // Order groups by size (largest first), then position, so labels are stable.
  std::vector<double> gx(num_groups, 0), gy(num_groups, 0);
  std::vector<std::int32_t> gsize(num_groups, 0);
  for (std::int32_t p : members) {
    const std::int32_t g = group_of_base[map.base_cluster_of[p]];
    gsize[g] += 1;
    gx[g] += map.participants[p].position.x;
    gy[g] += map.participants[p].position.y;
  }
  std::vector<std::int32_t> order(num_groups);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
    if (gsize[a] != gsize[b]) return gsize[a] > gsize[b];
    if (gx[a] / gsize[a] != gx[b] / gsize[b]) return gx[a] / gsize[a] < gx[b] / gsize[b];
    return gy[a] / gsize[a] < gy[b] / gsize[b];
  });
  std::vector<std::int32_t> rank(num_groups);
  for (std::int32_t i = 0; i < num_groups; ++i) rank[order[i]] = i;
  map.groups.resize(num_groups);
  for (std::int32_t g = 0; g < num_groups; ++g) {
    Group& out = map.groups[rank[g]];
    out.label = GroupLabel(rank[g]);
    out.size = gsize[g];
    out.centroid = Point2{gx[g] / gsize[g], gy[g] / gsize[g]};
  }
  for (std::int32_t p : members) {
    map.participants[p].group = rank[group_of_base[map.base_cluster_of[p]]];
  }
}

void ComputeStatementStats(const VoteMatrix& votes, const OpinionMapOptions& options,
                           OpinionMap& map) {
  const std::int32_t m = map.num_statements;
  const std::size_t ng = map.groups.size();
  map.statements.resize(m);
  for (std::int32_t j = 0; j < m; ++j) {
    map.statements[j].statement = j;
    map.statements[j].by_group.assign(ng, VoteCounts{});
  }
  auto add = [](VoteCounts& c, std::int8_t v) {
    if (v > 0) {
      ++c.agree;
    } else if (v < 0) {
      ++c.disagree;
    } else {
      ++c.pass;
    }
  };
  std::vector<VoteCounts> clustered_total(m);
  for (std::int32_t p = 0; p < map.num_participants; ++p) {
    const auto cols = votes.StatementsOf(p);
    const auto vals = votes.VotesOf(p);
    const std::int32_t g = map.participants[p].group;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      StatementStats& st = map.statements[cols[k]];
      add(st.overall, vals[k]);
      if (g >= 0) {
        add(st.by_group[g], vals[k]);
        add(clustered_total[cols[k]], vals[k]);
      }
    }
  }
  const double scale = std::sqrt(static_cast<double>(m));
  for (StatementStats& st : map.statements) {
    st.agree_consensus = ng > 0 ? 1 : 0;
    st.disagree_consensus = ng > 0 ? 1 : 0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const VoteCounts& c : st.by_group) {
      st.agree_consensus *= Laplace(c.agree, c.seen());
      st.disagree_consensus *= Laplace(c.disagree, c.seen());
      const double net = (c.agree - c.disagree) / (c.seen() + 2.0);
      lo = std::min(lo, net);
      hi = std::max(hi, net);
    }
    st.divisiveness = ng >= 2 ? hi - lo : 0.0;
    const std::int32_t j = st.statement;
    const double lone = 1.0 - map.pca.means[j];
    st.position = Point2{scale * lone * map.pca.components[0][j],
                         scale * lone * map.pca.components[1][j]};
  }
  if (ng == 0) return;

  // Broad consensus.
  auto consensus_list = [&](Direction d) {
    std::vector<ConsensusStatement> list;
    for (const StatementStats& st : map.statements) {
      const VoteCounts& all = clustered_total[st.statement];
      bool every_group = true;
      for (const VoteCounts& c : st.by_group) {
        const std::int32_t n = d == Direction::kAgree ? c.agree : c.disagree;
        if (2 * n <= c.seen()) every_group = false;  // (n+1)/(seen+2) > 1/2  <=>  2n > seen
      }
      const std::int32_t n = d == Direction::kAgree ? all.agree : all.disagree;
      if (every_group && Significant90(ProportionTest(n, all.seen()))) {
        list.push_back({st.statement, d,
                        d == Direction::kAgree ? st.agree_consensus : st.disagree_consensus});
      }
    }
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.consensus > b.consensus;
    });
    if (static_cast<std::int32_t>(list.size()) > options.max_consensus) {
      list.resize(options.max_consensus);
    }
    return list;
  };
  map.consensus = consensus_list(Direction::kAgree);
  for (const ConsensusStatement& c : consensus_list(Direction::kDisagree)) {
    map.consensus.push_back(c);
  }

  // Divisive statements and representative statements need at least two groups.
  if (ng < 2) return;
  for (const StatementStats& st : map.statements) {
    std::size_t most = 0, least = 0;
    double hi = -std::numeric_limits<double>::infinity(), lo = -hi;
    for (std::size_t g = 0; g < ng; ++g) {
      const VoteCounts& c = st.by_group[g];
      const double net = (c.agree - c.disagree) / (c.seen() + 2.0);
      if (net > hi) {
        hi = net;
        most = g;
      }
      if (net < lo) {
        lo = net;
        least = g;
      }
    }
    const VoteCounts& f = st.by_group[most];
    const VoteCounts& a = st.by_group[least];
    if (most != least && 2 * f.agree > f.seen() && Significant90(ProportionTest(f.agree, f.seen())) &&
        2 * a.disagree > a.seen() && Significant90(ProportionTest(a.disagree, a.seen()))) {
      map.divisive.push_back({st.statement, static_cast<std::int32_t>(most),
                              static_cast<std::int32_t>(least), st.divisiveness});
    }
  }
  std::stable_sort(map.divisive.begin(), map.divisive.end(),
                   [](const auto& a, const auto& b) { return a.divisiveness > b.divisiveness; });
  if (static_cast<std::int32_t>(map.divisive.size()) > options.max_divisive) {
    map.divisive.resize(options.max_divisive);
  }
  for (std::size_t g = 0; g < ng; ++g) {
    map.groups[g].representative =
        SelectRepresentative(map.statements, g, clustered_total, options.max_representative);
  }
}

}  // namespace

double ProportionTest(std::int32_t successes, std::int32_t trials) {
  const double s = successes + 1.0;
  const double n = trials + 1.0;
  return 2.0 * std::sqrt(n) * (s / n - 0.5);
}

double TwoProportionTest(std::int32_t successes_in, std::int32_t successes_out,
                         std::int32_t trials_in, std::int32_t trials_out) {
  const double s1 = successes_in + 1.0, s2 = successes_out + 1.0;
  const double n1 = trials_in + 1.0, n2 = trials_out + 1.0;
  const double p1 = s1 / n1, p2 = s2 / n2;
  const double pooled = (s1 + s2) / (n1 + n2);
  const double variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return 0.0;
  return (p1 - p2) / std::sqrt(variance);
}

Pca ComputePca(const VoteMatrix& votes, const OpinionMapOptions& options) {
  const std::int32_t m = votes.num_statements();
  Pca pca;
  pca.means.assign(m, 0.0);
  std::vector<std::int32_t> counts(m, 0);
  for (std::int32_t p = 0; p < votes.num_participants(); ++p) {
    const auto cols = votes.StatementsOf(p);
    const auto vals = votes.VotesOf(p);
    for (std::size_t k = 0; k < cols.size(); ++k) {
      pca.means[cols[k]] += vals[k];
      ++counts[cols[k]];
    }
  }
  for (std::int32_t j = 0; j < m; ++j) {
    if (counts[j] > 0) pca.means[j] /= counts[j];
  }
  SplitMix64 rng(options.seed ^ 0x5043415F73746172ULL);  // a stream of its own for PCA
  TopTwoEigenvectors(votes, options, rng, pca);
  return pca;
}

Point2 ProjectParticipant(const VoteMatrix& votes, const Pca& pca, std::int32_t participant) {
  const auto cols = votes.StatementsOf(participant);
  const auto vals = votes.VotesOf(participant);
  if (cols.empty()) return {};
  double x = 0, y = 0;
  for (std::size_t k = 0; k < cols.size(); ++k) {
    const double c = vals[k] - pca.means[cols[k]];
    x += c * pca.components[0][cols[k]];
    y += c * pca.components[1][cols[k]];
  }
  const double scale =
      std::sqrt(static_cast<double>(votes.num_statements()) / static_cast<double>(cols.size()));
  return {x * scale, y * scale};
}

Result<OpinionMap> ComputeOpinionMap(const VoteMatrix& votes, const OpinionMapOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  OpinionMap map;
  map.num_participants = votes.num_participants();
  map.num_statements = votes.num_statements();
  map.min_votes_applied = std::max<std::int32_t>(1, std::min(options.min_votes, map.num_statements));
  map.pca = ComputePca(votes, options);
  map.participants.resize(map.num_participants);
  map.base_cluster_of.assign(map.num_participants, -1);
  for (std::int32_t p = 0; p < map.num_participants; ++p) {
    ParticipantPlacement& pl = map.participants[p];
    pl.votes = votes.VoteCount(p);
    pl.position = ProjectParticipant(votes, map.pca, p);
    pl.clustered = pl.votes >= map.min_votes_applied;
    if (pl.clustered) ++map.num_clustered;
  }
  if (map.num_clustered < options.min_clustered) {
    std::vector<std::int32_t> candidates;
    for (std::int32_t p = 0; p < map.num_participants; ++p) {
      if (!map.participants[p].clustered && map.participants[p].votes > 0) candidates.push_back(p);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](std::int32_t a, std::int32_t b) {
      return map.participants[a].votes > map.participants[b].votes;
    });
    for (std::int32_t p : candidates) {
      if (map.num_clustered >= options.min_clustered) break;
      map.participants[p].clustered = true;
      ++map.num_clustered;
    }
  }
  SplitMix64 rng(options.seed);
  Cluster(options, rng, map);
  ComputeStatementStats(votes, options, map);
  return map;
}

}  // namespace communitise::deliberation
