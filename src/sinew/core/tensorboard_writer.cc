#include "sinew/core/tensorboard_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "proto/tensorboard.pb.h"
#include "sinew/core/crc32c.h"

namespace sinew {
namespace {

double unix_time() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void put_le(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

}  // namespace

void write_tfrecord(std::ostream& out, const std::string& data) {
  std::string header;
  put_le(&header, data.size(), 8);
  put_le(&header, masked_crc32c(header.data(), 8), 4);
  std::string footer;
  put_le(&footer, masked_crc32c(data.data(), data.size()), 4);
  out << header << data << footer;
}

TensorBoardWriter::TensorBoardWriter(const std::filesystem::path& dir) {
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  const double now = unix_time();
  path_ = dir / fmt::format("events.out.tfevents.{}.{}.{}", static_cast<int64_t>(now), host,
                            static_cast<int>(getpid()));
  out_.open(path_, std::ios::binary | std::ios::app);
  if (!out_) throw std::runtime_error("cannot create " + path_.string());
  tb::Event event;
  event.set_wall_time(now);
  event.set_file_version("brain.Event:2");
  write(event);
  flush();
}

TensorBoardWriter::~TensorBoardWriter() { flush(); }

void TensorBoardWriter::write(const tb::Event& event) {
  write_tfrecord(out_, event.SerializeAsString());
}

void TensorBoardWriter::flush() { out_.flush(); }

void TensorBoardWriter::add_scalars(int64_t step, const std::map<std::string, double>& values) {
  if (values.empty()) return;
  tb::Event event;
  event.set_wall_time(unix_time());
  event.set_step(step);
  for (const auto& [tag, value] : values) {
    auto* v = event.mutable_summary()->add_value();
    v->set_tag(tag);
    v->set_simple_value(static_cast<float>(value));
  }
  write(event);
}

void TensorBoardWriter::add_text(const std::string& tag, const std::string& markdown,
                                 int64_t step) {
  tb::Event event;
  event.set_wall_time(unix_time());
  event.set_step(step);
  auto* v = event.mutable_summary()->add_value();
  v->set_tag(tag);
  v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("text");
  auto* tensor = v->mutable_tensor();
  tensor->set_dtype(7);  // DT_STRING
  tensor->mutable_tensor_shape()->add_dim()->set_size(1);
  tensor->add_string_val(markdown);
  write(event);
}

void TensorBoardWriter::add_hparams(const std::map<std::string, HParam>& hparams,
                                    const std::vector<std::string>& metric_tags) {
  const double now = unix_time();
  auto summary_event = [&](const std::string& tag, const tb::HParamsPluginData& data) {
    tb::Event event;
    event.set_wall_time(now);
    auto* v = event.mutable_summary()->add_value();
    v->set_tag(tag);
    auto* plugin = v->mutable_metadata()->mutable_plugin_data();
    plugin->set_plugin_name("hparams");
    plugin->set_content(data.SerializeAsString());
    write(event);
  };
  // the experiment: which hyperparameters and metrics there are
  tb::HParamsPluginData experiment;
  experiment.set_version(0);
  auto* e = experiment.mutable_experiment();
  e->set_time_created_secs(now);
  for (const auto& [name, value] : hparams) {
    auto* info = e->add_hparam_infos();
    info->set_name(name);
    info->set_type(std::holds_alternative<std::string>(value) ? 1
                   : std::holds_alternative<bool>(value)      ? 2
                                                              : 3);
  }
  for (const auto& tag : metric_tags) e->add_metric_infos()->mutable_name()->set_tag(tag);
  summary_event("_hparams_/experiment", experiment);
  // this session's values
  tb::HParamsPluginData start;
  start.set_version(0);
  auto* s = start.mutable_session_start_info();
  s->set_start_time_secs(now);
  for (const auto& [name, value] : hparams) {
    google::protobuf::Value v;
    if (auto* d = std::get_if<double>(&value)) v.set_number_value(*d);
    if (auto* b = std::get_if<bool>(&value)) v.set_bool_value(*b);
    if (auto* t = std::get_if<std::string>(&value)) v.set_string_value(*t);
    (*s->mutable_hparams())[name] = v;
  }
  summary_event("_hparams_/session_start_info", start);
}

void TensorBoardWriter::add_session_start(int64_t step) {
  tb::Event event;
  event.set_wall_time(unix_time());
  event.set_step(step);
  event.mutable_session_log()->set_status(tb::SessionLog::START);
  write(event);
}

}  // namespace sinew
