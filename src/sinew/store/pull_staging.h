// The destination folder of a pull, filled in a hidden sibling folder and renamed into place in
// one step, so a pull that fails or dies never leaves a partial destination.
// Not copyable or movable; one thread uses it.
#pragma once

#include <filesystem>
#include <string>

namespace sinew {

class PullStaging {
 public:
  // Creates the hidden sibling of `destination` (and the parent folders). Throws UserError when
  // `destination` exists and is not an empty folder.
  explicit PullStaging(std::filesystem::path destination);
  // Removes the sibling unless publish() was reached.
  ~PullStaging();
  PullStaging(const PullStaging&) = delete;
  PullStaging& operator=(const PullStaging&) = delete;

  // Where to write file `relative` (checked with check_model_file_path); parents created.
  std::filesystem::path file(const std::string& relative) const;

  // fsyncs the staged folders and renames the staged folder onto the destination (an empty
  // folder there is replaced). Returns the destination. Throws UserError when the destination
  // was filled meanwhile, std::runtime_error on other I/O errors.
  std::filesystem::path publish();

 private:
  std::filesystem::path destination_;
  std::filesystem::path staged_;
  bool published_ = false;
};

}  // namespace sinew
