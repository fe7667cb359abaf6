// The subscription index: finds the subscriptions whose filters an event
// passes without evaluating every filter. Each subscription is filed under
// keys that every event it accepts must hit (an exact value, a prefix or a
// suffix of an attribute, or the attribute's mere presence); only the
// subscriptions filed under a key the event hits, and the few that no key
// describes, have their filter run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event.hpp"
#include "match/attribute_path.hpp"
#include "match/filter.hpp"

namespace evd::match {

// Not thread-safe: the owner serializes every call (the daemon's broker
// calls it under its publish lock). insert() and erase() cost O(keys of the
// filter) hash-map operations, amortized; a rehash of a growing table is
// the only step linear in the number of subscriptions.
//
// find_matches() costs one walk of the event per indexed attribute path,
// one hash probe per value found there (plus one per distinct prefix or
// suffix length filed under that path, and one per path with presence
// keys when it reaches anything), and one filter evaluation per candidate
// and per unindexed subscription. It agrees exactly with calling
// filter::matches on every filter: keys only pick candidates, the filter
// always has the last word.
class subscription_index {
 public:
  // Names a subscription; chosen by the caller, unique among those held.
  using id = std::uint64_t;
  // What a subscription is filed under: core::indexed_broadcaster's key.
  using key_type = std::shared_ptr<const filter>;

  subscription_index() = default;
  subscription_index(const subscription_index&) = delete;
  subscription_index& operator=(const subscription_index&) = delete;

  // Adds subscription `sub`, which accepts what `rules` matches (usually a
  // list compiled by filter::compile_list). The index shares `rules`.
  // Returns false, changing nothing, when `sub` is already held.
  //
  // Of the keys `rules` implies, the one filed with the fewest others now
  // is chosen, so subscriptions that share a popular attribute value (a
  // common `type`) spread over their more selective conditions. Each path
  // of an `exists` that wants it `true` implies a presence key: the path
  // reaches some value, of any type, as filter::matches walks it (`false`
  // implies none). A filter that implies no key (an empty list; only
  // `sql`, `not`, `exists` of `false` or the other content dialects; an
  // `any` with such a branch) is evaluated for every event.
  bool insert(id sub, std::shared_ptr<const filter> rules);

  // Removes `sub`; removing one that is not held does nothing.
  void erase(id sub);

  // Appends to `out` the id of every held subscription whose filter
  // `event` passes, each once, in no particular order.
  void find_matches(const nlohmann::json& event, std::vector<id>& out);

  // Appends to `out`, each once, the candidates find_matches would
  // evaluate, without evaluating them: a superset of the matches, for a
  // caller whose sinks check their own filters (core::indexed_broadcaster
  // with a core::filter at the head of each chain).
  void find_candidates(const nlohmann::json& event, std::vector<id>& out);
  void find_candidates(const core::event& ev, std::vector<id>& out) {
    find_candidates(ev.doc(), out);
  }

  std::size_t size() const noexcept { return entries_.size(); }
  // Subscriptions without a key, evaluated for every event.
  std::size_t unindexed() const noexcept { return unindexed_.size(); }
  // Candidates named so far, over all events, by either search: each is
  // one filter evaluation, here or in the caller's sink. What the index
  // exists to keep near the number of matches.
  std::uint64_t evaluations() const noexcept { return evaluations_; }

 private:
  // In order of preference between keys filed with equally many others:
  // presence comes last, since most events that have a field hit it.
  enum class key_kind : std::uint8_t { exact, prefix, suffix, presence };

  // A key as the filter states it, before it is filed. A presence key has
  // no value of its own: `value` is the empty string, its bucket's name.
  struct key_spec {
    key_kind kind;
    const attribute_path* path;
    const std::string* value;
  };
  using key_group = std::vector<key_spec>;

  struct entry;
  struct slot {
    entry* owner;
    std::uint32_t key;  // which of owner->keys this slot files
  };
  struct bucket {
    std::vector<slot> slots;
  };

  // The transparent hash lets a probe look up a string_view into the event
  // without building a std::string.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  using bucket_map =
      std::unordered_map<std::string, bucket, text_hash, std::equal_to<>>;

  // Lengths of the affix buckets of one path, ascending, with how many
  // buckets have each: a value is probed once per length present.
  using length_counts = std::vector<std::pair<std::size_t, std::size_t>>;

  // Everything filed under one attribute path.
  struct path_table {
    attribute_path path;
    bucket_map exact;
    bucket_map prefix;
    bucket_map suffix;
    bucket_map presence;  // at most one bucket, named ""
    length_counts prefix_lengths;
    length_counts suffix_lengths;
    std::size_t keys = 0;

    bucket_map& buckets(key_kind kind);
    const bucket_map& buckets(key_kind kind) const;
    // Null for exact and presence keys, which are probed once whatever
    // their length.
    length_counts* lengths(key_kind kind);
  };

  // Where one of an entry's keys is filed: enough to take it out in O(1).
  struct filed_key {
    path_table* table;
    key_kind kind;
    bucket* at;
    const std::string* value;  // the bucket map's own key
    std::size_t position;      // of this key's slot in at->slots
  };

  struct entry {
    id sub;
    std::shared_ptr<const filter> rules;
    std::vector<filed_key> keys;         // empty when unindexed
    std::size_t unindexed_position = 0;  // in unindexed_, when keys is empty
    std::uint64_t last_seen = 0;         // collect() round that last took it
  };

  std::vector<key_group> necessary_keys(const filter& f) const;
  std::size_t cost(const key_group& group) const;
  std::size_t filed_with(const key_spec& key) const;
  void file(entry& e, const key_spec& key);
  void unfile(const filed_key& key);
  template <typename Take>
  void collect(const nlohmann::json& event, Take take);

  std::unordered_map<id, entry> entries_;
  std::unordered_map<std::string, path_table> tables_;  // by path name
  std::vector<entry*> unindexed_;
  std::uint64_t round_ = 0;
  std::uint64_t evaluations_ = 0;
};

}  // namespace evd::match
