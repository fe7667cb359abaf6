#include "daemon/accounts.hpp"

#include <grp.h>
#include <pwd.h>

namespace evd::daemon {

std::optional<uid_t> find_user_id(const std::string& name) {
  const passwd* pw = ::getpwnam(name.c_str());
  if (!pw) return std::nullopt;
  return pw->pw_uid;
}

std::optional<gid_t> find_group_id(const std::string& name) {
  const group* gr = ::getgrnam(name.c_str());
  if (!gr) return std::nullopt;
  return gr->gr_gid;
}

}  // namespace evd::daemon
