// Opinion map: groups participants by how they vote and finds the statements that unite
// and divide them, following the method of Polis (pol.is).
//
// The pipeline, all in ComputeOpinionMap():
//  1. Participants with fewer than min(min_votes, number of statements) votes are left
//     out of the clustering ("not clustered"); they still count in every vote total and
//     still get a position on the map, flagged as unclustered. Polis uses 7. As in
//     Polis, a small conversation is not left empty: while fewer than `min_clustered`
//     (15) participants qualify, the most active remaining voters (most votes first,
//     then lowest index; at least one vote) are added, so a panel of 12 gets a map even
//     when some members voted on only a few statements.
//  2. PCA to two dimensions of the vote matrix with missing votes imputed by the
//     statement's mean vote. Centring the imputed matrix by those same means turns every
//     missing cell into exactly zero, so the centred matrix has the sparsity pattern of
//     the votes and power iteration runs on it directly (O(votes) per step, never a
//     dense participants x statements matrix). Polis finds the second component by
//     power iteration with the first projected out; here both are iterated together
//     (block power iteration with Gram-Schmidt, then a Rayleigh-Ritz rotation), which
//     is one pass over the votes per step and converges even when the two leading
//     eigenvalues are close, as they are with three evenly matched groups.
//  3. Each participant is projected using only the statements they voted on and the
//     result is scaled by sqrt(statements / votes cast), Polis' correction that stops
//     sparse voters collapsing onto the centre.
//  4. Two-level clustering, as Polis does: k-means into up to `base_clusters` (100) base
//     clusters of the clustered participants' 2-D points, then weighted k-means of the
//     base-cluster centres (weight = members) for every k in 2..max_k, where
//     max_k = min(max_groups, 2 + base clusters / 12) (Polis' rule). The k with the best
//     silhouette (computed on the weighted base centres) wins; ties go to the smaller k.
//     All seeding is k-means++ driven by `seed`, and each group-level k is restarted
//     `group_restarts` times keeping the lowest weighted within-group sum of squares.
//     The base level turns a 100,000-point problem into a 100-point one, so the choice of
//     k and the restarts cost almost nothing.
//  5. Per statement: agree / disagree / pass counts overall and per group (groups contain
//     clustered participants only); group-informed consensus, the product over groups of
//     the Laplace-smoothed agree probability (agree+1)/(seen+2) (and the same for
//     disagree); Polis' representativeness (repness) of each statement for each group.
//  6. Lists: broad-consensus statements (every group more likely to agree than not, or
//     every group more likely to disagree, overall proportion significant at 90% by
//     Polis' one-proportion test), ranked by group-informed consensus; divisive
//     statements (one group significantly agrees while another significantly
//     disagrees), ranked by the spread of the groups' net agreement; up to five
//     representative statements per group, selected as Polis selects them.
//
// Thread safety: pure functions of their arguments; safe to call concurrently.
// Determinism: the same matrix, options and seed give bit-identical output on the same
// platform (no clock, no global state, no threads).
#ifndef COMMUNITISE_DELIBERATION_OPINION_MAP_H_
#define COMMUNITISE_DELIBERATION_OPINION_MAP_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "communitise/core/result.h"
#include "communitise/deliberation/vote_matrix.h"

namespace communitise::deliberation {

struct OpinionMapOptions {
  std::uint64_t seed = 0;
  // Clustering needs at least min(min_votes, num_statements) votes (and at least one).
  std::int32_t min_votes = 7;
  // Top up the clustered participants to this many from the most active voters.
  std::int32_t min_clustered = 15;
  std::int32_t base_clusters = 100;
  std::int32_t max_groups = 5;  // groups are chosen in 2..max_groups
  std::int32_t pca_max_iterations = 200;
  // Power iteration stops when the plane of the two vectors moves less than this
  // (Frobenius norm of the new basis' component outside the old plane).
  double pca_tolerance = 1e-7;
  std::int32_t base_kmeans_iterations = 25;
  std::int32_t group_kmeans_iterations = 50;
  std::int32_t group_restarts = 8;
  std::int32_t max_representative = 5;  // per group
  std::int32_t max_consensus = 5;       // per direction (agree, disagree)
  std::int32_t max_divisive = 5;
};

struct Point2 {
  double x = 0;
  double y = 0;
};

struct VoteCounts {
  std::int32_t agree = 0;
  std::int32_t disagree = 0;
  std::int32_t pass = 0;
  std::int32_t seen() const { return agree + disagree + pass; }
  bool operator==(const VoteCounts&) const = default;
};

// Two principal components over statements and the column means they were centred by.
struct Pca {
  std::vector<double> means;                     // per statement; 0 if nobody voted
  std::array<std::vector<double>, 2> components;  // unit vectors (or all zero), size statements
  std::array<double, 2> eigenvalues = {0, 0};     // of the centred Gram matrix
  std::array<std::int32_t, 2> iterations = {0, 0};  // steps (both vectors iterate together)
};

struct ParticipantPlacement {
  Point2 position;
  std::int32_t votes = 0;
  bool clustered = false;   // had enough votes to take part in clustering
  std::int32_t group = -1;  // index into OpinionMap::groups; -1 if not clustered
};

enum class Direction { kAgree, kDisagree };

// A statement that characterises a group (Polis' representativeness).
struct RepresentativeStatement {
  std::int32_t statement = 0;
  Direction direction = Direction::kAgree;  // the group is distinctive in agreeing/disagreeing
  std::int32_t in_group_count = 0;          // agrees (or disagrees) in the group
  std::int32_t in_group_seen = 0;           // votes of the group on the statement
  double probability = 0;                   // (count+1)/(seen+2)
  double probability_test = 0;              // one-proportion z
  double repness = 0;                       // probability / probability in the other groups
  double repness_test = 0;                  // two-proportion z against the other groups
  double metric() const { return repness * repness_test * probability * probability_test; }
};

struct Group {
  std::string label;  // "A", "B", ... (largest group first)
  std::int32_t size = 0;
  Point2 centroid;
  std::vector<RepresentativeStatement> representative;
};

struct StatementStats {
  std::int32_t statement = 0;
  VoteCounts overall;
  std::vector<VoteCounts> by_group;  // one per group
  // Group-informed consensus: product over groups of (agree+1)/(seen+2), and the same
  // for disagree. 0 when there are no groups.
  double agree_consensus = 0;
  double disagree_consensus = 0;
  // max - min over groups of (agree - disagree)/(seen + 2); 0 with fewer than two groups.
  double divisiveness = 0;
  Point2 position;  // where the statement itself projects (a lone agree vote), for drawing
};

struct ConsensusStatement {
  std::int32_t statement = 0;
  Direction direction = Direction::kAgree;
  double consensus = 0;  // group-informed consensus in that direction
};

struct DivisiveStatement {
  std::int32_t statement = 0;
  std::int32_t agreeing_group = 0;     // the group most in favour
  std::int32_t disagreeing_group = 0;  // the group most against
  double divisiveness = 0;
};

struct OpinionMap {
  std::int32_t num_participants = 0;
  std::int32_t num_statements = 0;
  std::int32_t num_clustered = 0;
  std::int32_t min_votes_applied = 0;  // the vote minimum actually used
  Pca pca;
  std::vector<ParticipantPlacement> participants;
  std::vector<Group> groups;
  std::vector<std::int32_t> base_cluster_of;  // per participant; -1 if not clustered
  std::vector<Point2> base_centroids;
  double silhouette = 0;  // of the chosen grouping; 0 with fewer than two groups
  std::vector<StatementStats> statements;  // indexed by statement
  std::vector<ConsensusStatement> consensus;
  std::vector<DivisiveStatement> divisive;
};

// Builds the whole map. Errors (kInvalidArgument): options out of range (min_votes < 1,
// min_clustered < 0,
// base_clusters < 2, max_groups < 2, negative counts of iterations or list sizes,
// non-positive tolerance). An empty conversation or one with nobody clustered is not an
// error: the map then has no groups.
Result<OpinionMap> ComputeOpinionMap(const VoteMatrix& votes, const OpinionMapOptions& options);

// The stages, exposed so benchmarks can time them and callers can re-project.
// REQUIRES: options valid (as checked by ComputeOpinionMap).
Pca ComputePca(const VoteMatrix& votes, const OpinionMapOptions& options);
Point2 ProjectParticipant(const VoteMatrix& votes, const Pca& pca, std::int32_t participant);

// Polis' z statistics (with its +1 smoothing), exposed for tests and the web layer.
double ProportionTest(std::int32_t successes, std::int32_t trials);
double TwoProportionTest(std::int32_t successes_in, std::int32_t successes_out,
                         std::int32_t trials_in, std::int32_t trials_out);
// One-sided significance at 90% as Polis uses it (z > 1.2816).
inline bool Significant90(double z) { return z > 1.2816; }

}  // namespace communitise::deliberation

#endif  // COMMUNITISE_DELIBERATION_OPINION_MAP_H_
