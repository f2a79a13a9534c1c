#include "controller/execline/words.hpp"

#include <gtest/gtest.h>

namespace blastlab::execline {
namespace {

std::vector<Word> words(std::string_view line, int first_column = 1) {
  auto split = split_words(line, first_column);
  if (auto* error = std::get_if<ExecLineError>(&split)) {
    ADD_FAILURE() << line << ": " << error->column << ": " << error->message;
    return {};
  }
  return std::get<std::vector<Word>>(split);
}

ExecLineError refusal(std::string_view line, int first_column = 1) {
  auto split = split_words(line, first_column);
  if (auto* error = std::get_if<ExecLineError>(&split)) return *error;
  ADD_FAILURE() << line << ": split without an error";
  return {};
}

TEST(SplitWordsTest, SplitsOnSpacesAndTabsWithColumns) {
  auto split = words("  ip\taddr   add ", 5);
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[0].text, "ip");
  EXPECT_EQ(split[0].column, 7);
  EXPECT_EQ(split[1].text, "addr");
  EXPECT_EQ(split[1].column, 10);
  EXPECT_EQ(split[2].text, "add");
  EXPECT_EQ(split[2].column, 17);
  EXPECT_TRUE(words("").empty());
  EXPECT_TRUE(words(" \t ").empty());
}

TEST(SplitWordsTest, QuotesGroupAndJoinLikeAShell) {
  auto split = words(R"(ip "link set" 'eth'1 ""  x"y z"w)");
  ASSERT_EQ(split.size(), 5u);
  EXPECT_EQ(split[1].text, "link set");
  EXPECT_EQ(split[1].column, 4);
  EXPECT_EQ(split[2].text, "eth1");
  EXPECT_EQ(split[2].column, 15);
  EXPECT_EQ(split[3].text, "");  // an empty quoted word is a word, as in a shell
  EXPECT_EQ(split[4].text, "xy zw");
  EXPECT_EQ(words(R"('say "hi"')")[0].text, R"(say "hi")");
}

TEST(SplitWordsTest, RefusesAnUnterminatedQuoteAtTheQuote) {
  EXPECT_EQ(refusal("ip link set 'eth1 up"), (ExecLineError{13, "unterminated single quote"}));
  EXPECT_EQ(refusal(R"(ip link set eth1" up)", 3),
            (ExecLineError{19, "unterminated double quote"}));
}

TEST(SplitWordsTest, RefusesEveryShellMetacharacterWhereItStands) {
  for (char c : std::string_view(";|&$`><()*?[]{}~#!\\\n\r\x01\x7f")) {
    std::string line = std::string("ip link set eth") + c + "1 up";
    auto error = refusal(line, 10);
    EXPECT_EQ(error.column, 25) << line;
    EXPECT_NE(error.message.find("never run by a shell"), std::string::npos) << error.message;
    std::string quoted = std::string("ip link set 'eth") + c + "1' up";
    EXPECT_EQ(refusal(quoted).column, 17) << quoted;
  }
}

TEST(SplitWordsTest, NamesTheMetacharacterAndWhatAShellWouldDo) {
  EXPECT_EQ(refusal("ip link set eth1 up; reboot").message,
            "';' is a command separator in a shell, and exec lines are never run by a shell: an "
            "exec line is one ip command made of plain words");
  EXPECT_EQ(refusal("ip addr add $(hostname) dev eth1").column, 13);
  EXPECT_NE(refusal("ip addr add $(hostname) dev eth1").message.find("'$' is an expansion"),
            std::string::npos);
  EXPECT_EQ(refusal("ip link set eth1 up && reboot").column, 21);
  EXPECT_NE(refusal("ip link\nreboot").message.find("newline is a command separator"),
            std::string::npos);
  EXPECT_NE(refusal("ip link set eth* up").message.find("'*' is a glob"), std::string::npos);
  EXPECT_NE(refusal("ip link set eth1 up > /dev/null").message.find("'>' is a redirection"),
            std::string::npos);
  EXPECT_NE(refusal(std::string("ip\x07")).message.find("byte 0x07 is a control character"),
            std::string::npos);
}

}  // namespace
}  // namespace blastlab::execline
