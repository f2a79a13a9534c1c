#include "controller/experiment/live.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace blastlab::experiment {
namespace {

// Enough answers for any streak a script may wait for (queries ≤ 100) and for a few
// seconds of success rate at the highest probe rates.
constexpr size_t kKeepAnswers = 2000;

}  // namespace

LiveView::LiveView(std::string events_dir) : dir_(std::move(events_dir)) {}

void LiveView::poll() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() != ".jsonl") continue;
    Follow& follow = files_[entry.path().string()];
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) continue;
    in.seekg(follow.offset);
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    follow.offset += int64_t(chunk.size());
    follow.partial += chunk;
    size_t start = 0;
    for (size_t nl = follow.partial.find('\n'); nl != std::string::npos;
         nl = follow.partial.find('\n', start)) {
      measure::Event event;
      if (measure::parse_event(follow.partial.substr(start, nl - start), event)) add(event);
      start = nl + 1;
    }
    follow.partial.erase(0, start);
  }
}

void LiveView::add(const measure::Event& e) {
  const auto& d = e.data;
  int64_t& last = last_event_[{e.agent, e.node}];
  last = std::max(last, e.ts);
  if ((e.agent == "routewatch" && e.event == "dump") ||
      (e.agent == "dnsprobe" && e.event == "query") ||
      (e.agent == "reachprobe" && e.event == "probe") ||
      (e.agent == "querywatch" && e.event == "start"))
    reported_.insert({e.agent, e.node});
  // Kept by send time: answers are written when they come back, out of send order.
  auto keep = [](std::deque<Answer>& list, Answer a) {
    auto at = std::upper_bound(list.begin(), list.end(), a.sent,
                               [](int64_t t, const Answer& x) { return t < x.sent; });
    list.insert(at, a);
    if (list.size() > kKeepAnswers) list.pop_front();
  };
  if (e.agent == "dnsprobe" && e.event == "query" && d.value("target", "") == "resolver") {
    keep(answers_[e.node], {e.ts, d.value("result", "") == "ok"});
  } else if (e.agent == "reachprobe" && e.event == "probe") {
    keep(probes_[{e.node, d.value("target", "")}], {e.ts, d.value("result", "") == "ok"});
  } else if (e.agent == "routewatch") {
    if (e.event == "start" && d.contains("prefixes")) {
      for (const auto& p : d["prefixes"])
        if (watch_[e.node].insert(p.get<std::string>()).second) ++watched_;
    } else if (e.event == "dump" && d.contains("present")) {
      for (const auto& p : d["present"]) present_[e.node].insert(p.get<std::string>());
    } else if (e.event == "route") {
      std::string prefix = d.value("prefix", "");
      if (d.value("action", "") == "remove") {
        present_[e.node].erase(prefix);
      } else {
        present_[e.node].insert(prefix);
      }
    }
  } else if (e.agent == "healthd") {
    if (e.event == "announce" && d.value("ok", false)) announcing_[e.node] = true;
    if ((e.event == "withdraw" || e.event == "degrade") && d.value("ok", false))
      announcing_[e.node] = false;
  }
}

std::optional<bool> LiveView::dns_streak(const std::string& client, int n) const {
  auto it = answers_.find(client);
  if (it == answers_.end() || int(it->second.size()) < n) return std::nullopt;
  const auto& list = it->second;
  bool first = list.back().ok;
  for (int i = 0; i < n; ++i) {
    if (list[list.size() - 1 - size_t(i)].ok != first) return std::nullopt;
  }
  return first;
}

std::optional<double> LiveView::dns_success_since(int64_t since_us) const {
  int64_t total = 0, ok = 0;
  for (const auto& [client, list] : answers_) {
    for (auto it = list.rbegin(); it != list.rend() && it->sent >= since_us; ++it) {
      ++total;
      ok += it->ok ? 1 : 0;
    }
  }
  if (total == 0) return std::nullopt;
  return double(ok) / double(total);
}

namespace {

template <typename Map, typename Key>
LiveView::Tally tally_since(const Map& lists, const Key& key, int64_t since_us) {
  LiveView::Tally tally;
  auto it = lists.find(key);
  if (it == lists.end()) return tally;
  for (auto a = it->second.rbegin(); a != it->second.rend() && a->sent >= since_us; ++a) {
    ++tally.answered;
    tally.ok += a->ok ? 1 : 0;
  }
  return tally;
}

}  // namespace

LiveView::Tally LiveView::dns_since(const std::string& client, int64_t since_us) const {
  return tally_since(answers_, client, since_us);
}

LiveView::Tally LiveView::reach_since(const std::string& from, const std::string& target,
                                      int64_t since_us) const {
  return tally_since(probes_, std::pair{from, target}, since_us);
}

std::map<std::string, bool> LiveView::prefixes_at(const std::string& vantage) const {
  std::map<std::string, bool> at;
  auto watched = watch_.find(vantage);
  if (watched == watch_.end()) return at;
  auto present = present_.find(vantage);
  for (const auto& p : watched->second)
    at[p] = present != present_.end() && present->second.count(p) > 0;
  return at;
}

int LiveView::prefixes_present() const {
  int n = 0;
  for (const auto& [vantage, watched] : watch_) {
    auto it = present_.find(vantage);
    if (it == present_.end()) continue;
    for (const auto& p : watched) n += it->second.count(p) ? 1 : 0;
  }
  return n;
}

int LiveView::sites_announcing() const {
  return int(std::count_if(announcing_.begin(), announcing_.end(),
                           [](const auto& kv) { return kv.second; }));
}

}  // namespace blastlab::experiment
