// The lab's write-ahead record of everything it creates on the host. Each entry is appended
// (one JSON object per line, flushed) *before* the thing it names is created, so that after
// any crash — even SIGKILL in the middle of `up` — `down` can remove exactly what may exist:
// an entry whose thing was never created is harmless to remove. A torn last line (the write
// itself interrupted) is ignored on reading.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

namespace blastlab::lab {

struct JournalEntry {
  // kEnded: a recorded process the controller ended on purpose (a run's agents); status
  // no longer lists it. Nothing is removed for it.
  enum class Kind { kNamespace, kVeth, kProcess, kStatus, kEnded };
  Kind kind = Kind::kStatus;
  std::string ns;       // namespace: its name; veth: namespace of end a; process: its ns
  std::string node;     // namespace, process: the node
  std::string ifname;   // veth: end a
  std::string peer_ns;  // veth: namespace of end b
  std::string peer_ifname;
  pid_t pid = 0;  // process
  unsigned long long start_time = 0;
  std::string what;  // process: what it is ("zebra"); status: "building", "up"
};

// The entries of a lab's journal that are the lab's own, which is all `down` acts on. A
// journal is a file root reads and then deletes namespaces and ends processes by: one that
// was edited, or that lies in a run directory root does not own (BLASTLAB_RUN_DIR), could
// name another lab's namespace or anyone's pid. A namespace or process entry is the lab's
// when its node is a node name and its namespace is LAB.NODE; a process entry also needs
// the start time `up` records, since 0 would skip the check against a recycled pid.
struct OwnEntries {
  std::vector<JournalEntry> namespaces;  // kNamespace
  std::vector<JournalEntry> processes;   // kProcess
  std::vector<std::string> refused;      // one line per entry left out, saying why
};
OwnEntries own_entries(const std::vector<JournalEntry>& entries, const std::string& lab_name);

class Journal {
 public:
  // Opens (creating) the journal file for appending.
  explicit Journal(std::string path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Appends one entry with one write(); throws std::runtime_error if it cannot be written,
  // because creating something that is not recorded would leak it.
  void append(const JournalEntry& entry);

  static std::vector<JournalEntry> read(const std::string& path);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
};

}  // namespace blastlab::lab
