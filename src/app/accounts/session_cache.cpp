#include "session_cache.h"

namespace communitise::app {

std::optional<Session> SessionCache::Find(const std::string& token_hash, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (now >= e.session.expires_at || now - e.read_at >= kRecheckSeconds || now < e.read_at) {
    entries_.erase(it);
    return std::nullopt;
  }
  return e.session;
}

uint64_t SessionCache::Epoch() {
  std::lock_guard lock(mu_);
  return epoch_;
}

void SessionCache::Put(const std::string& token_hash, const Session& session, int64_t now,
                       uint64_t epoch) {
  std::lock_guard lock(mu_);
  if (epoch != epoch_) return;
  // A full cache starts again rather than tracking recency: misses only cost a read.
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[token_hash] = Entry{session, now};
}

void SessionCache::Erase(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  ++epoch_;
  entries_.erase(token_hash);
}

void SessionCache::EraseUser(int64_t user_id) {
  std::lock_guard lock(mu_);
  ++epoch_;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.session.actor && it->second.session.actor->user_id == user_id) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace communitise::app
