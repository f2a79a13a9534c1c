#include "controller/frr/user_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "controller/frr/vtysh.hpp"

namespace blastlab::frr {
namespace {

std::vector<std::string> names(const std::vector<Daemon>& daemons) {
  std::vector<std::string> out;
  for (Daemon d : daemons) out.emplace_back(to_string(d));
  return out;
}

TEST(DaemonsFileTest, YesLinesRunBesideZebraAndStaticdAndOptionsAreFrrsOwn) {
  auto file = parse_daemons_file(
      "# FRR's daemons file\n"
      "bgpd=yes\n"
      "ospfd=yes\n"
      "ospf6d=no\n"
      "isisd=\"yes\"\n"
      "vtysh_enable=yes\n"
      "zebra_options=\"  -A 127.0.0.1 -s 90000000\"\n"
      "watchfrr_options=\"\"\n",
      "r1/daemons");
  EXPECT_TRUE(file.errors.empty());
  EXPECT_EQ(names(file.daemons),
            (std::vector<std::string>{"zebra", "staticd", "ospfd", "bgpd", "isisd"}));
}

TEST(DaemonsFileTest, AnUnknownDaemonOrValueIsRefusedAtItsLineAndColumn) {
  auto file =
      parse_daemons_file("bgpd=yes\n  bgbd=yes\nospfd=maybe\nsharpd=yes\nnonsense\n", "r1/daemons");
  ASSERT_EQ(file.errors.size(), 4u);
  EXPECT_EQ(file.errors[0].str(), "r1/daemons:2:3: unknown FRR daemon 'bgbd'");
  EXPECT_EQ(file.errors[1].str(), "r1/daemons:3:7: ospfd=maybe: a daemon is `yes` or `no`");
  EXPECT_NE(file.errors[2].message.find("has no sharpd"), std::string::npos);
  EXPECT_EQ(file.errors[3].mark.line, 5);
}

TEST(DaemonsForConfigTest, EachRoutingBlockBringsItsDaemon) {
  EXPECT_EQ(names(daemons_for_config("hostname r1\ninterface eth1\n ip address 10.0.0.1/31\n")),
            (std::vector<std::string>{"zebra", "staticd"}));
  EXPECT_EQ(
      names(daemons_for_config("interface eth1\n ip ospf area 0\nexit\n"
                               "router ospf6\nexit\nrouter bgp 65001\n"
                               " neighbor 10.0.0.2 bfd\nexit\nrouter ripng\n")),
      (std::vector<std::string>{"zebra", "staticd", "ospfd", "bgpd", "ospf6d", "ripngd", "bfdd"}));
  // `router ospf6` alone is not ospfd, `router ripng` is not ripd.
  EXPECT_EQ(names(daemons_for_config("router ospf6\nrouter ripng\n")),
            (std::vector<std::string>{"zebra", "staticd", "ospf6d", "ripngd"}));
  EXPECT_EQ(names(daemons_for_config("router isis core\n net 49.0001.0000.0000.0001.00\n")),
            (std::vector<std::string>{"zebra", "staticd", "isisd"}));
}

TEST(LabConfigTest, LogDestinationsAreLeftOutAndLinesKeepTheirNumbers) {
  std::vector<std::string> dropped;
  std::string text = lab_config(
      "frr version 8.4\nlog file /var/log/frr/frr.log\nlog syslog informational\n"
      "hostname r1\nlog timestamp precision 3\nlog commands\n",
      &dropped);
  EXPECT_EQ(dropped, (std::vector<std::string>{"line 2: log file /var/log/frr/frr.log",
                                               "line 3: log syslog informational",
                                               "line 5: log timestamp precision 3"}));
  EXPECT_EQ(text.find("/var/log"), std::string::npos);
  EXPECT_NE(text.find("hostname r1\n! (left out"), std::string::npos) << text;
  EXPECT_NE(text.find("log commands"), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6);
}

// FRR's own dry run: this needs Debian's FRR (installed by scripts/setup.sh), not root.
class DryRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kVtyshBinary)) {
      if (std::getenv("CI")) FAIL() << kVtyshBinary << " is missing; CI must have FRR";
      GTEST_SKIP() << kVtyshBinary << " is missing";
    }
    dir_ =
        std::filesystem::temp_directory_path() / ("blastlab-dryrun-" + std::to_string(::getpid()));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::unique_ptr<proc::ProcessRunner> runner_ = proc::make_process_runner();
};

TEST_F(DryRunTest, AConfigFrrAcceptsHasNoErrors) {
  auto errors = check_config(*runner_,
                             "frr version 8.4\nhostname r1\ninterface eth1\n ip address "
                             "10.0.0.1/31\n ip ospf area 0\nexit\nrouter ospf\nexit\n",
                             "r1/frr.conf", 1, dir_.string());
  EXPECT_TRUE(errors.empty()) << model::format_diagnostics(errors);
}

TEST_F(DryRunTest, ALineFrrRefusesIsNamedAtItsLineAndFirstColumn) {
  std::string text =
      "hostname r1\n"
      "router bgp 65001\n"
      " neighbor 10.0.0.2 remote-as 65002\n"
      " neighbr 10.0.0.3 remote-as 65003\n"
      " address-family ipv4 unicast\n"
      "  network 10.0.0.0/33\n"
      " exit-address-family\n"
      "exit\n";
  auto errors = check_config(*runner_, text, "r1/frr.conf", 1, dir_.string());
  ASSERT_EQ(errors.size(), 2u) << model::format_diagnostics(errors);
  EXPECT_EQ(errors[0].str(),
            "r1/frr.conf:4:2: FRR refuses this line (Unknown command: neighbr 10.0.0.3 "
            "remote-as 65003)");
  EXPECT_EQ(errors[1].mark.line, 6);
  EXPECT_EQ(errors[1].mark.column, 3);
  // A config given inline in another file: the lines are that file's.
  errors = check_config(*runner_, text, "lab.clab.yml", 20, dir_.string());
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].mark.line, 23);
}

}  // namespace
}  // namespace blastlab::frr
