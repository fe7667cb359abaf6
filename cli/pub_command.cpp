#include <unistd.h>

#include <fstream>
#include <iostream>
#include <thread>

#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/connection.hpp"

namespace evd::cli {
namespace {

namespace asio = boost::asio;
using json = nlohmann::json;

// Wraps an event line into a publish request. The event's own bytes are
// kept (evd forwards exactly what it is given), so the line is checked
// with the JSON library and then placed into the request as is.
std::string publish_line(std::uint64_t id, const std::string& event) {
  return R"({"op":"pub","id":)" + std::to_string(id) + R"(,"event":)" + event +
         "}";
}

// Makes a valid event fit on one wire line, for events given pretty-printed
// as arguments. In valid JSON a CR or LF can only be whitespace between
// tokens (inside strings they must be escaped), so each becomes a space:
// every token keeps its bytes, and subscribers still get the event's
// escapes, key order and number spellings, which re-serializing with the
// JSON library would not keep. Only line breaks change, and the protocol
// cannot carry those. The caller validates first, because in invalid text
// a raw newline inside a string would become a space and make it valid.
std::string one_line(std::string event) {
  for (char& c : event) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return event;
}

struct tally {
  std::uint64_t acked = 0;
  std::uint64_t failed = 0;
  std::uint64_t last_seq = 0;
};

// Reads replies until evd closes the connection, printing each error with
// the input line it belongs to (the request id is the line number).
tally read_replies(connection& conn) {
  tally t;
  while (auto line = conn.read_line()) {
    json reply = json::parse(*line, nullptr, false);
    if (reply.is_discarded()) continue;
    std::string op = reply.value("op", "");
    if (op == "ok") {
      ++t.acked;
      t.last_seq = reply.value("seq", t.last_seq);
    } else if (op == "error") {
      ++t.failed;
      // Errors about the connection itself (line_too_long) carry no id.
      json id = reply.value("id", json());
      std::cerr << "evctl: ";
      if (!id.is_null()) std::cerr << "line " << id.dump() << ": ";
      std::cerr << reply.value("code", "") << ": " << reply.value("message", "")
                << "\n";
    }
  }
  return t;
}

}  // namespace

int run_pub(const proto::address& where, const pub_options& opts) {
  std::ifstream file;
  bool from_file =
      opts.events.empty() && !opts.file.empty() && opts.file != "-";
  if (from_file) {
    file.open(opts.file);
    if (!file) {
      std::cerr << "evctl: cannot open " << opts.file << "\n";
      return 1;
    }
  }
  std::istream& input = from_file ? file : std::cin;

  asio::io_context io;
  connection conn(io, where);

  // Replies are read on a second thread while this one sends, so a long
  // file never fills both directions' buffers and stalls.
  tally replies;
  std::thread reader([&] { replies = read_replies(conn); });
  connection::socket_type out(io, conn.socket().local_endpoint().protocol(),
                              ::dup(conn.socket().native_handle()));

  std::uint64_t sent = 0, refused_locally = 0, unsent = 0, line_no = 0;
  boost::system::error_code write_error;
  bool from_arguments = !opts.events.empty();
  auto publish = [&](const std::string& event) {
    ++line_no;
    if (event.find_first_not_of(" \t\r") == std::string::npos) {
      // A blank line in a file is spacing; a blank argument is a mistake.
      if (from_arguments) {
        ++refused_locally;
        std::cerr << "evctl: argument " << line_no << ": empty event\n";
      }
      return;
    }
    if (!json::accept(event)) {
      ++refused_locally;
      std::cerr << "evctl: line " << line_no << ": not valid JSON\n";
      return;
    }
    if (write_error) {
      ++unsent;
      return;
    }
    std::string line = publish_line(line_no, one_line(event)) + "\n";
    // evd closes the connection after some errors (line_too_long); the
    // reader thread prints why, and what is left is counted as not sent.
    asio::write(out, asio::buffer(line), write_error);
    if (write_error) {
      ++unsent;
      std::cerr << "evctl: line " << line_no
                << ": not sent, the connection is closed ("
                << write_error.message() << ")\n";
      return;
    }
    ++sent;
  };

  if (!opts.events.empty()) {
    for (const auto& e : opts.events) publish(e);
  } else {
    for (std::string l; std::getline(input, l);) publish(l);
  }
  conn.finish_sending();
  reader.join();

  // Events refused or not sent count as given, so that the summary of a
  // run that exits 1 never reads as complete.
  std::uint64_t given = sent + refused_locally + unsent;
  std::cerr << "evctl: published " << replies.acked << " of " << given
            << " events";
  if (replies.acked > 0) std::cerr << ", last seq " << replies.last_seq;
  std::cerr << "\n";
  bool ok = replies.acked == given && replies.failed == 0;
  return ok ? 0 : 1;
}

}  // namespace evd::cli
