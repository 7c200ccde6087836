#include "sinew/sim/motion_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scratch_path.h"
#include "sinew/core/errors.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

std::string error_of(const std::string& text) {
  fs::path path = testing::scratch_path("sinew_motion_bad", ".sto");
  std::ofstream(path) << text;
  try {
    MotionTable::read(path);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(MotionTable, WriteThenReadRoundTrips) {
  MotionTable t("walk", {"hip_flexion_r", "knee_angle_r"}, true);
  t.add_row(0.0, {10.0, -5.5});
  t.add_row(0.01, {11.25, -6.0});
  t.add_row(0.02, {12.5, -7.125});
  fs::path path = testing::scratch_path("sinew_motion_roundtrip", ".sto");
  t.write(path);
  MotionTable back = MotionTable::read(path);
  EXPECT_EQ(back.name(), "walk");
  EXPECT_TRUE(back.in_degrees());
  EXPECT_EQ(back.labels(), t.labels());
  ASSERT_EQ(back.rows(), 3u);
  EXPECT_DOUBLE_EQ(back.value(2, 1), -7.125);
  EXPECT_DOUBLE_EQ(back.at(0.015, back.column("hip_flexion_r")), 11.875);
  EXPECT_DOUBLE_EQ(back.at(5.0, 0), 12.5);  // clamped past the end
}

TEST(MotionTable, ReadsTheOlderMotHeader) {
  fs::path path = testing::scratch_path("sinew_motion_old", ".mot");
  std::ofstream(path) << "Coordinates\ndatacolumns 2\ndatarows 2\nrange 0 1\nendheader\n"
                         "time\tknee_angle_r\n0\t-10\n1\t-20\n";
  MotionTable t = MotionTable::read(path);
  EXPECT_FALSE(t.in_degrees());  // absent means radians
  EXPECT_DOUBLE_EQ(t.at(0.5, 0), -15);
}

TEST(MotionTable, BrokenFilesNameTheFileAndLine) {
  EXPECT_NE(error_of("x\nversion=1\ntime\ta\n").find("endheader"), std::string::npos);
  EXPECT_NE(error_of("x\nendheader\nt\ta\n0\t1\n").find(":3: the first column must be 'time'"),
            std::string::npos);
  std::string short_row = error_of("x\nendheader\ntime\ta\tb\n0\t1\t2\n0.1\t1\n");
  EXPECT_NE(short_row.find(".sto:5: 2 values, expected 3"), std::string::npos) << short_row;
  EXPECT_NE(error_of("x\nendheader\ntime\ta\n0\tabc\n").find("'abc' is not a number"),
            std::string::npos);
  EXPECT_NE(error_of("x\nnRows=3\nendheader\ntime\ta\n0\t1\n").find("nRows=3"), std::string::npos);
  EXPECT_NE(error_of("x\nnColumns=4\nendheader\ntime\ta\n0\t1\n").find("nColumns=4"),
            std::string::npos);
  EXPECT_NE(error_of("x\nendheader\ntime\ta\n1\t1\n0\t1\n").find("backwards"), std::string::npos);
}

TEST(MotionTable, NonFiniteAndAbsurdValuesAreRefusedWithFileLineAndColumn) {
  for (const std::string bad : {"nan", "NaN", "inf", "-inf", "infinity", "1e308", "-2e6"}) {
    std::string message = error_of("x\nendheader\ntime\tknee\n0\t1\n0.1\t" + bad + "\n");
    EXPECT_NE(message.find(".sto:5: value '" + bad + "' in column 'knee'"), std::string::npos)
        << bad << ": " << message;
  }
  // a 50-million-character token is not echoed whole
  std::string huge(50'000'000, '7');
  std::string message = error_of("x\nendheader\ntime\ta\n0\t" + huge + "\n");
  EXPECT_LT(message.size(), 300u);
  EXPECT_NE(message.find("50000000 characters"), std::string::npos) << message.substr(0, 300);
}

TEST(MotionTable, MissingColumnSuggestsTheClosest) {
  MotionTable t = MotionTable::read(resolve_motion_path("normative_walk.sto"));
  try {
    t.column("knee_angle_rr");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("knee_angle_r"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("normative_walk.sto"), std::string::npos);
  }
}

TEST(MotionTable, ShippedNormativeWalkHasTheNormativeKneePeak) {
  MotionTable t = MotionTable::read(resolve_motion_path("normative_walk.sto"));
  EXPECT_TRUE(t.in_degrees());
  EXPECT_NEAR(t.duration_s(), 2.2, 1e-9);
  double min_knee = 0, at = 0;
  for (std::size_t r = 0; r < t.rows() / 2; ++r) {
    double k = t.value(r, t.column("knee_angle_r"));
    if (k < min_knee) {
      min_knee = k;
      at = t.times()[r];
    }
  }
  EXPECT_NEAR(min_knee, -63, 3);      // about 63 deg of flexion
  EXPECT_NEAR(at / 1.1, 0.72, 0.03);  // at 72 % of the cycle
}

}  // namespace
}  // namespace sinew
