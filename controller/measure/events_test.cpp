// Reading, merging and writing event files: lenient parsing (a torn last line is counted,
// not fatal), a missing file as an agent that wrote nothing, the stable merge by ts, and a
// write/read round trip through a temporary directory.
#include "controller/measure/events.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace blastlab::measure {
namespace {

namespace fs = std::filesystem;

// A directory of its own per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "measure-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "write " << path;
}

Event event(int64_t ts, const std::string& agent, const std::string& node,
            const std::string& kind) {
  return Event{.ts = ts,
               .agent = agent,
               .node = node,
               .event = kind,
               .data = {{"ts", ts}, {"agent", agent}, {"node", node}, {"event", kind}}};
}

TEST(EventsTest, ParsesAnEventKeepingEveryField) {
  Event e;
  ASSERT_TRUE(parse_event(
      R"({"ts":1700000000000123,"agent":"healthd","node":"dns1","event":"withdraw","ok":true,"x":[1]})",
      e));
  EXPECT_EQ(e.ts, 1700000000000123);
  EXPECT_EQ(e.agent, "healthd");
  EXPECT_EQ(e.node, "dns1");
  EXPECT_EQ(e.event, "withdraw");
  EXPECT_EQ(e.data["ok"], true);
  EXPECT_EQ(e.data["x"][0], 1) << "unknown fields are kept for whoever knows them";
  EXPECT_EQ(e.data["ts"], 1700000000000123);
}

TEST(EventsTest, RejectsLinesThatAreNotEvents) {
  Event e;
  for (const char* line :
       {"", "not json", "[1,2]", "42", R"({"ts":1,"agent":"a","node":"n"})",
        R"({"ts":"1","agent":"a","node":"n","event":"e"})",
        R"({"ts":1.5,"agent":"a","node":"n","event":"e"})",
        R"({"ts":1,"agent":7,"node":"n","event":"e"})", R"({"ts":1,"agent":"a","node":"n","ev)"}) {
    EXPECT_FALSE(parse_event(line, e)) << line;
  }
}

TEST(EventsTest, AMissingFileIsAnAgentThatWroteNothing) {
  TempDir dir;
  EventFile file = read_event_file(dir.file("healthd-dns9.jsonl"));
  EXPECT_EQ(file.path, dir.file("healthd-dns9.jsonl"));
  EXPECT_TRUE(file.events.empty());
  EXPECT_EQ(file.bad_lines, 0u);
}

TEST(EventsTest, ATornLastLineIsCountedAndSkipped) {
  TempDir dir;
  std::string path = dir.file("dnsprobe-client1.jsonl");
  write_text(path,
             "{\"ts\":2,\"agent\":\"dnsprobe\",\"node\":\"client1\",\"event\":\"query\"}\n"
             "\n"
             "{\"ts\":1,\"agent\":\"dnsprobe\",\"node\":\"client1\",\"event\":\"query\"}\r\n"
             "{\"ts\":3,\"agent\":\"dnsprobe\",\"node\":\"cli");
  EventFile file = read_event_file(path);
  ASSERT_EQ(file.events.size(), 2u);
  EXPECT_EQ(file.events[0].ts, 2) << "file order is kept";
  EXPECT_EQ(file.events[1].ts, 1);
  EXPECT_EQ(file.bad_lines, 1u) << "the torn line; the blank line is not damage";
}

TEST(EventsTest, AnUnreadableFileIsAnErrorNamingIt) {
  TempDir dir;
  std::string path = dir.file("a-directory.jsonl");
  fs::create_directory(path);
  try {
    read_event_file(path);
    FAIL() << "read a directory as an event file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(EventsTest, MergeSortsByTimeAndKeepsFileOrderForTies) {
  EventFile controller{
      .path = "controller.jsonl",
      .events = {event(10, "controller", "lab1", "run"), event(30, "controller", "lab1", "step"),
                 event(30, "controller", "lab1", "step-done")}};
  EventFile probe{
      .path = "dnsprobe-client1.jsonl",
      .events = {event(30, "dnsprobe", "client1", "q2"), event(20, "dnsprobe", "client1", "q1"),
                 event(30, "dnsprobe", "client1", "q3")}};
  std::vector<Event> merged = merge_events({controller, probe});
  std::vector<std::string> order;
  for (const Event& e : merged) order.push_back(e.event);
  EXPECT_EQ(order, (std::vector<std::string>{"run", "q1", "step", "step-done", "q2", "q3"}));
}

TEST(EventsTest, WriteThenReadGivesTheSameEvents) {
  TempDir dir;
  std::vector<Event> events = {event(1, "controller", "lab1", "run"),
                               event(2, "healthd", "dns1", "withdraw")};
  events[1].data["ok"] = true;
  events[1].data["note"] = "caf\xc3\xa9";
  std::string path = dir.file("events.jsonl");
  write_event_file(path, events);
  EventFile back = read_event_file(path);
  ASSERT_EQ(back.events.size(), 2u);
  EXPECT_EQ(back.bad_lines, 0u);
  EXPECT_EQ(back.events[1].ts, 2);
  EXPECT_EQ(back.events[1].node, "dns1");
  EXPECT_EQ(back.events[1].data, events[1].data);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(EventsTest, WritingIntoAMissingDirectoryThrowsNamingThePath) {
  TempDir dir;
  std::string path = dir.file("no/such/dir/events.jsonl");
  try {
    write_event_file(path, {event(1, "controller", "lab1", "run")});
    FAIL() << "wrote into a directory that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace blastlab::measure
