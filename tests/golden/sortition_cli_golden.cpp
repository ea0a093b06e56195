// The `communitise panel` commands end to end on a shared instance: JSON shape, the
// same seed giving the same panel, and the exit code of `check` on infeasible quotas.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct CommandRun {
  int exit_code = -1;
  std::string out;
};

CommandRun Communitise(const std::string& args) {
  const std::string command = std::string(COMMUNITISE_BINARY) + " " + args + " 2>/dev/null";
  CommandRun r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const std::string kDir = std::string(COMMUNITISE_SHARED_DATA) + "/sortition/opendlp_monitoring_30";
const std::string kFiles =
    "--categories " + kDir + "/categories.csv --people " + kDir + "/respondents.csv --size 30";

TEST(PanelCliTest, SelectJsonIsReproducible) {
  const CommandRun a = Communitise("panel select " + kFiles + " --seed 7 --json");
  const CommandRun b = Communitise("panel select " + kFiles + " --seed 7 --json");
  ASSERT_EQ(a.exit_code, 0);
  auto ja = nlohmann::json::parse(a.out);
  auto jb = nlohmann::json::parse(b.out);
  ASSERT_EQ(ja["panel"].size(), 30u);
  EXPECT_EQ(ja["panel"], jb["panel"]);
  EXPECT_EQ(ja["probabilities"].size(), 100u);
  EXPECT_NEAR(ja["min_probability"].get<double>(), 0.296703, 1e-4);
  double total = 0;
  for (const auto& [id, p] : ja["probabilities"].items()) total += p.get<double>();
  EXPECT_NEAR(total, 30.0, 1e-6);
}

TEST(PanelCliTest, CheckExitsTwoWithARelaxation) {
  const std::string quotas = ::testing::TempDir() + "/forian.csv";
  {
    std::ifstream in(kDir + "/categories.csv");
    std::ofstream out(quotas);
    std::string line;
    while (std::getline(in, line)) {
      out << (line.rfind("ethnicity,Forian,", 0) == 0 ? "ethnicity,Forian,4,5" : line) << "\n";
    }
  }
  const CommandRun r = Communitise("panel check --categories " + quotas + " --people " + kDir +
                            "/respondents.csv --size 30 --json");
  EXPECT_EQ(r.exit_code, 2);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["feasible"].get<bool>());
  EXPECT_TRUE(j["relaxable"].get<bool>());
  bool names_forian = false;
  for (const auto& c : j["changes"]) names_forian = names_forian || c["value"] == "Forian";
  EXPECT_TRUE(names_forian);
}

TEST(PanelCliTest, BadFileNamesFileAndLine) {
  const std::string quotas = ::testing::TempDir() + "/bad.csv";
  std::ofstream(quotas) << "category,feature,min,max\ngender,Female,5,2\n";
  const std::string command = std::string(COMMUNITISE_BINARY) + " panel check --categories " +
                              quotas + " --people " + kDir +
                              "/respondents.csv --size 30 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[1024];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  EXPECT_NE(out.find(quotas + ":2: gender/Female: min 5 > max 2"), std::string::npos) << out;
}

}  // namespace
