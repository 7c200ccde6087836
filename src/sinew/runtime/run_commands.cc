#include "sinew/runtime/run_commands.h"

#include <chrono>
#include <exception>

namespace sinew {

RunCommands::Reply RunCommands::submit(const std::string& name) {
  auto command = std::make_shared<Command>();
  command->name = name;
  auto reply = command->reply.get_future();
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(command);
  }
  if (reply.wait_for(std::chrono::minutes(5)) != std::future_status::ready) {
    return {503, {{"error", "the run did not answer within 5 minutes"}}};
  }
  return reply.get();
}

void RunCommands::handle(const std::function<Reply(const std::string&)>& run) {
  std::deque<std::shared_ptr<Command>> pending;
  {
    std::lock_guard lock(mutex_);
    pending.swap(pending_);
  }
  for (auto& command : pending) {
    Reply reply;
    try {
      reply = run(command->name);
    } catch (const std::exception& e) {
      reply = {500, {{"error", e.what()}}};
    }
    command->reply.set_value(std::move(reply));
  }
}

}  // namespace sinew
