// ModelRef parsing and the name, tag and file-path rules that keep every reference inside the
// store.
#include "sinew/store/model_ref.h"

#include <gtest/gtest.h>

#include <string>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

using namespace std::string_literals;

TEST(ModelRef, BareNameMeansLatest) {
  ModelRef ref = ModelRef::parse("walker");
  EXPECT_EQ(ref.name, "walker");
  EXPECT_EQ(ref.kind, ModelRef::Kind::kLatest);
  EXPECT_FALSE(ref.explicit_selector);
  EXPECT_EQ(ref.str(), "walker:latest");
}

TEST(ModelRef, ParsesLatestVersionsAndTags) {
  ModelRef latest = ModelRef::parse("walker:latest");
  EXPECT_EQ(latest.kind, ModelRef::Kind::kLatest);
  EXPECT_TRUE(latest.explicit_selector);
  ModelRef third = ModelRef::parse("walker:3");
  EXPECT_EQ(third.kind, ModelRef::Kind::kVersion);
  EXPECT_EQ(third.version, 3);
  EXPECT_EQ(third.str(), "walker:3");
  ModelRef tagged = ModelRef::parse("Walker_2.b-1:best-v1.0");
  EXPECT_EQ(tagged.kind, ModelRef::Kind::kTag);
  EXPECT_EQ(tagged.name, "Walker_2.b-1");
  EXPECT_EQ(tagged.tag, "best-v1.0");
}

TEST(ModelRef, RefusesEverythingThatCouldLeaveTheStore) {
  for (const std::string& bad : {""s,
                                 ":"s,
                                 "../x"s,
                                 "a/b"s,
                                 "/abs"s,
                                 ".."s,
                                 "a..b"s,
                                 ".hidden"s,
                                 "-x"s,
                                 "a b"s,
                                 "a\\b"s,
                                 "a\0b"s,
                                 std::string(65, 'a'),
                                 "walker:"s,
                                 "walker:0"s,
                                 "walker:01"s,
                                 "walker:../x"s,
                                 "walker:a/b"s,
                                 "walker:.x"s,
                                 "walker:a:b"s,
                                 "walker:1234567890123"s,
                                 "wälker"s}) {
    EXPECT_THROW(ModelRef::parse(bad), UserError) << "accepted: " << bad;
  }
  EXPECT_NO_THROW(ModelRef::parse(std::string(64, 'a')));
}

TEST(ModelRef, ErrorsNameTheTextAndTheRule) {
  try {
    ModelRef::parse("../etc");
    FAIL() << "accepted ../etc";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("'../etc'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("starting with a letter or digit"), std::string::npos);
  }
}

TEST(ModelRef, TagsMustNotLookLikeVersionsOrLatest) {
  EXPECT_THROW(check_model_tag("3"), UserError);
  EXPECT_THROW(check_model_tag("latest"), UserError);
  EXPECT_THROW(check_model_tag("a/b"), UserError);
  EXPECT_NO_THROW(check_model_tag("v3"));
}

TEST(ModelRef, FilePathsStayInsideTheVersion) {
  for (const std::string& bad : {""s, "/etc/passwd"s, "../x"s, "a/../../x"s, "a//b"s, "./a"s,
                                 "a/."s, "a/"s, "a\\b"s, "a\0b"s, std::string(256, 'x')}) {
    EXPECT_THROW(check_model_file_path(bad), UserError) << "accepted: " << bad;
  }
  EXPECT_NO_THROW(check_model_file_path("models/policy.pt"));
  EXPECT_NO_THROW(check_model_file_path("manifest.json"));
  EXPECT_NO_THROW(check_model_file_path("a b/..c"));
}

}  // namespace
}  // namespace sinew
