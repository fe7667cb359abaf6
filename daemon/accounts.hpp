// The system's users and groups, looked up by name for socket-user and
// socket-group: by the options, so that an unknown name is refused when the
// configuration is read, and by the listener, which hands sockets to them.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace evd::daemon {

// The id of the user called `name`, or nothing when there is none. Not
// thread-safe (getpwnam): call it from one thread at a time.
std::optional<uid_t> find_user_id(const std::string& name);

// The id of the group called `name`, or nothing when there is none. Not
// thread-safe (getgrnam): call it from one thread at a time.
std::optional<gid_t> find_group_id(const std::string& name);

}  // namespace evd::daemon
