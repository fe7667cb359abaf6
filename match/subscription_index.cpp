#include "match/subscription_index.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace evd::match {
namespace {

// The name of a path's one presence bucket: presence has no value.
const std::string presence_name;

using length_counts = std::vector<std::pair<std::size_t, std::size_t>>;

void count_length(length_counts& lengths, std::size_t length) {
  auto it = std::lower_bound(lengths.begin(), lengths.end(),
                             std::make_pair(length, std::size_t{0}));
  if (it != lengths.end() && it->first == length) {
    ++it->second;
  } else {
    lengths.insert(it, {length, 1});
  }
}

void uncount_length(length_counts& lengths, std::size_t length) {
  auto it = std::lower_bound(lengths.begin(), lengths.end(),
                             std::make_pair(length, std::size_t{0}));
  assert(it != lengths.end() && it->first == length);
  if (--it->second == 0) lengths.erase(it);
}

}  // namespace

subscription_index::bucket_map& subscription_index::path_table::buckets(
    key_kind kind) {
  switch (kind) {
    case key_kind::exact:
      return exact;
    case key_kind::prefix:
      return prefix;
    case key_kind::suffix:
      return suffix;
    case key_kind::presence:
      return presence;
  }
  return exact;
}

const subscription_index::bucket_map& subscription_index::path_table::buckets(
    key_kind kind) const {
  return const_cast<path_table*>(this)->buckets(kind);
}

subscription_index::length_counts* subscription_index::path_table::lengths(
    key_kind kind) {
  switch (kind) {
    case key_kind::exact:
    case key_kind::presence:
      return nullptr;
    case key_kind::prefix:
      return &prefix_lengths;
    case key_kind::suffix:
      return &suffix_lengths;
  }
  return nullptr;
}

// Each group holds keys of which an event `f` accepts hits at least one.
// An `all` needs every child, so each child's groups are groups of the
// whole; an `any` needs one child, so one group per child, merged, is one
// group of the whole, and a child without a group leaves the whole
// without one. Dialects the index does not know give no group: that is
// always correct, only slower.
std::vector<subscription_index::key_group> subscription_index::necessary_keys(
    const filter& f) const {
  std::vector<key_group> groups;
  auto conditions = [&](key_kind kind) {
    for (std::size_t i = 0; i < f.condition_count(); ++i) {
      groups.push_back({{kind, &f.condition_path(i), &f.condition_value(i)}});
    }
  };
  switch (f.type()) {
    case filter::kind::exact:
      conditions(key_kind::exact);
      break;
    case filter::kind::prefix:
      conditions(key_kind::prefix);
      break;
    case filter::kind::suffix:
      conditions(key_kind::suffix);
      break;
    case filter::kind::exists:
      // Absence is no key: an event hits it by lacking something.
      for (std::size_t i = 0; i < f.content_count(); ++i) {
        if (!f.exists_wanted(i)) continue;
        groups.push_back(
            {{key_kind::presence, &f.content_path(i), &presence_name}});
      }
      break;
    case filter::kind::all:
      for (const filter& child : f.children()) {
        auto more = necessary_keys(child);
        std::move(more.begin(), more.end(), std::back_inserter(groups));
      }
      break;
    case filter::kind::any: {
      key_group merged;
      for (const filter& child : f.children()) {
        auto options = necessary_keys(child);
        if (options.empty()) return {};
        auto cheapest =
            std::min_element(options.begin(), options.end(),
                             [&](const key_group& a, const key_group& b) {
                               return cost(a) < cost(b);
                             });
        merged.insert(merged.end(), cheapest->begin(), cheapest->end());
      }
      groups.push_back(std::move(merged));
      break;
    }
    default:
      break;
  }
  return groups;
}

// What filing under `group` would cost each event that hits it: mostly
// the candidates already there. Between empty buckets an exact key wins
// over an affix, which costs a probe per length, and both over presence.
std::size_t subscription_index::cost(const key_group& group) const {
  std::size_t total = 0;
  for (const key_spec& key : group) {
    total += 4 * (filed_with(key) + 1) + static_cast<std::size_t>(key.kind);
  }
  return total;
}

std::size_t subscription_index::filed_with(const key_spec& key) const {
  auto table = tables_.find(key.path->name());
  if (table == tables_.end()) return 0;
  const bucket_map& map = table->second.buckets(key.kind);
  auto found = map.find(std::string_view(*key.value));
  return found == map.end() ? 0 : found->second.slots.size();
}

bool subscription_index::insert(id sub, std::shared_ptr<const filter> rules) {
  auto [it, added] = entries_.try_emplace(sub);
  if (!added) return false;
  entry& e = it->second;
  e.sub = sub;
  e.rules = std::move(rules);

  std::vector<key_group> groups = necessary_keys(*e.rules);
  if (groups.empty()) {
    e.unindexed_position = unindexed_.size();
    unindexed_.push_back(&e);
    return true;
  }
  auto best = std::min_element(groups.begin(), groups.end(),
                               [&](const key_group& a, const key_group& b) {
                                 return cost(a) < cost(b);
                               });
  e.keys.reserve(best->size());
  for (const key_spec& key : *best) file(e, key);
  return true;
}

void subscription_index::file(entry& e, const key_spec& key) {
  auto [table_it, new_table] = tables_.try_emplace(key.path->name());
  path_table& table = table_it->second;
  if (new_table) table.path = *key.path;

  auto [bucket_it, new_bucket] =
      table.buckets(key.kind).try_emplace(*key.value);
  if (new_bucket) {
    if (auto* lengths = table.lengths(key.kind)) {
      count_length(*lengths, key.value->size());
    }
  }
  bucket& b = bucket_it->second;
  b.slots.push_back({&e, static_cast<std::uint32_t>(e.keys.size())});
  e.keys.push_back(
      {&table, key.kind, &b, &bucket_it->first, b.slots.size() - 1});
  ++table.keys;
}

void subscription_index::erase(id sub) {
  auto it = entries_.find(sub);
  if (it == entries_.end()) return;
  entry& e = it->second;
  if (e.keys.empty()) {
    entry* last = unindexed_.back();
    unindexed_[e.unindexed_position] = last;
    last->unindexed_position = e.unindexed_position;
    unindexed_.pop_back();
  }
  for (const filed_key& key : e.keys) unfile(key);
  entries_.erase(it);
}

// Takes one slot out by moving the bucket's last slot into its place, so
// removal never scans a bucket however popular its key.
void subscription_index::unfile(const filed_key& key) {
  std::vector<slot>& slots = key.at->slots;
  const slot moved = slots.back();
  slots[key.position] = moved;
  moved.owner->keys[moved.key].position = key.position;
  slots.pop_back();

  path_table& table = *key.table;
  if (slots.empty()) {
    if (auto* lengths = table.lengths(key.kind)) {
      uncount_length(*lengths, key.value->size());
    }
    // Copied first: erasing by a reference into the erased node is not
    // something to rely on.
    const std::string value = *key.value;
    table.buckets(key.kind).erase(value);
  }
  if (--table.keys == 0) {
    const std::string name = table.path.name();
    tables_.erase(name);
  }
}

void subscription_index::find_matches(const nlohmann::json& event,
                                      std::vector<id>& out) {
  collect(event, [&](const entry& e) {
    if (e.rules->matches(event)) out.push_back(e.sub);
  });
}

void subscription_index::find_candidates(const nlohmann::json& event,
                                         std::vector<id>& out) {
  collect(event, [&](const entry& e) { out.push_back(e.sub); });
}

// Calls `take` once for every subscription filed under a key `event` hits
// and for every unindexed one. A subscription filed under several keys
// the event hits (an `any`, or an attribute inside an array) is taken
// once: `last_seen` remembers the round that took it.
//
// Each path is walked with attribute_path::any_reached, the walk
// filter::matches makes, so keys see exactly the values conditions see:
// every element of an array met on the way, and objects and null at the
// end, which have no text but are present.
template <typename Take>
void subscription_index::collect(const nlohmann::json& event, Take take) {
  ++round_;
  auto consider = [&](entry& e) {
    if (e.last_seen == round_) return;
    e.last_seen = round_;
    ++evaluations_;
    take(e);
  };
  auto candidates = [&](const bucket_map& map, std::string_view key) {
    auto found = map.find(key);
    if (found == map.end()) return;
    for (const slot& s : found->second.slots) consider(*s.owner);
  };
  std::string scratch;
  for (const auto& named : tables_) {
    // Not a structured binding: clang before 16 cannot capture one.
    const auto& table = named.second;
    auto probe = [&](std::string_view text) {
      if (!table.exact.empty()) candidates(table.exact, text);
      for (const auto& [length, buckets] : table.prefix_lengths) {
        if (length > text.size()) break;
        candidates(table.prefix, text.substr(0, length));
      }
      for (const auto& [length, buckets] : table.suffix_lengths) {
        if (length > text.size()) break;
        candidates(table.suffix, text.substr(text.size() - length));
      }
    };
    const bool has_text_keys =
        !table.exact.empty() || !table.prefix.empty() || !table.suffix.empty();
    bool present = false;
    auto reached = [&](const nlohmann::json& value) {
      if (!present) {
        present = true;
        if (!table.presence.empty()) candidates(table.presence, presence_name);
      }
      // A path filed only by presence is done at its first value.
      if (!has_text_keys) return true;
      if (auto text = attribute_path::text_of(value, scratch)) probe(*text);
      return false;
    };
    table.path.any_reached(event, reached);
  }
  for (entry* e : unindexed_) consider(*e);
}

}  // namespace evd::match
