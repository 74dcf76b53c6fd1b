#include "close_send.hpp"

#include "sileram/commands/common.hpp"
#include "sileram/errors.hpp"
#include "sileram/mail/content.hpp"
#include "sileram/mail/transport.hpp"

#include <fmt/format.h>
#include <map>
#include <ostream>

namespace sileram::commands {

namespace {

using mail::Delivery;
using Json = nlohmann::ordered_json;

constexpr int k_page = 200;

struct Tally {
    int sent = 0;
    int failed = 0;
    int deferred = 0; // stayed queued after a temporary failure
    int untried = 0;  // left queued because the run stopped
    std::string stop_reason;
};

mail::Templates load_templates(const config::Config& config) {
    const std::filesystem::path& folder = config.mail.templates;
    if (folder.empty()) {
        return mail::Templates();
    }
    // Relative to the configuration file, so cron finds it from any working folder.
    const bool relative = folder.is_relative() && config.source;
    return mail::Templates::from_folder(relative ? config.source->parent_path() / folder : folder);
}

std::string describe(const storage::QueuedFeedback& q) {
    const domain::Feedback& f = q.feedback;
    return fmt::format("feedback {} (signal {}, {}{}) to {}", f.id, q.signal_id,
                       domain::to_string(f.outcome),
                       f.stage ? fmt::format(" {}", domain::to_string(*f.stage)) : "", f.recipient);
}

Json mail_json(const storage::QueuedFeedback& q, std::string_view status,
               const std::string& message_id, const std::string& error) {
    const domain::Feedback& f = q.feedback;
    return Json{{"id", f.id},
                {"signal", q.signal_id},
                {"to", f.recipient},
                {"outcome", domain::to_string(f.outcome)},
                {"stage", f.stage ? Json(std::string(domain::to_string(*f.stage))) : Json(nullptr)},
                {"status", status},
                {"message_id", message_id},
                {"error", error}};
}

// Runs `write` in its own short write transaction: each mail's fate is stored as soon as the
// server has answered, so a crash later in the batch cannot undo it.
template <typename Write>
void record(storage::Store& store, Write&& write) {
    storage::WriteTransaction transaction(store);
    write(store.feedback_queue());
    transaction.commit();
}

// The message file's name for the folder transport: the Message-ID's local part.
std::string file_name(const std::string& message_id) {
    return message_id.substr(0, message_id.find('@'));
}

} // namespace

void preview_close(Session& session, const domain::Signal& closed) {
    const mail::Templates templates = load_templates(session.config());
    const mail::Mailbox from = mail::parse_mailbox(session.config().mail.from, "mail.from");
    Json mails = Json::array();
    for (const domain::Feedback& f : closed.feedback) {
        if (f.id != 0) {
            continue; // queued before: not this close's
        }
        const mail::Message message =
            mail::compose(closed, f, templates, from, session.impact_settings(), session.now());
        if (session.json()) {
            mails.push_back(Json{{"to", f.recipient},
                                 {"outcome", domain::to_string(f.outcome)},
                                 {"subject", message.subject},
                                 {"body", message.body}});
        } else if (!session.quiet()) {
            session.out() << fmt::format("would queue a mail to {}\nSubject: {}\n\n{}\n",
                                         f.recipient, message.subject, message.body);
        }
    }
    if (session.json()) {
        print_json(session, Json{{"id", closed.id},
                                 {"dry_run", true},
                                 {"would_queue", mails.size()},
                                 {"mails", mails}});
    } else if (!session.quiet()) {
        session.out() << fmt::format(
            "dry run: closing signal {} would queue {} mail{}; nothing changed\n", closed.id,
            mails.size(), mails.size() == 1 ? "" : "s");
    }
}

void send_feedback(Session& session, DryRun dry_run) {
    const config::MailSettings& settings = session.config().mail;
    // Everything the user must fix is checked before anything is locked or sent.
    const mail::Templates templates = load_templates(session.config());
    const mail::Mailbox from = mail::parse_mailbox(settings.from, "mail.from");

    // A dry run only reads. The database is opened before the lock, so that a mistyped --db is
    // refused before a lock file appears beside it.
    const storage::Access access =
        dry_run == DryRun::yes ? storage::Access::read : storage::Access::write;
    storage::Store& store = session.store(access);

    const std::filesystem::path lock_file = session.database_path().string() + ".send-lock";
    // A dry run changes nothing, so it needs no lock.
    const std::optional<mail::ExclusiveLock> lock =
        dry_run == DryRun::no ? mail::ExclusiveLock::try_acquire(lock_file) : std::nullopt;
    {
        if (dry_run == DryRun::no && !lock) {
            // Another run is working the queue; it sends every mail this one would.
            if (session.json()) {
                print_json(session, Json{{"locked", true},
                                         {"sent", 0},
                                         {"failed", 0},
                                         {"queued", 0},
                                         {"mails", Json::array()}});
            } else if (!session.quiet()) {
                session.err() << fmt::format("sileram: another `close --send` holds {}; it "
                                             "sends the queue, this run sends nothing\n",
                                             lock_file.string());
            }
            return;
        }
    }

    storage::FeedbackQueue& queue = store.feedback_queue();
    std::unique_ptr<mail::Transport> transport;
    std::map<domain::SignalId, domain::Signal> signals; // the signal of the current page
    Tally tally;
    Json mails = Json::array();
    domain::RowId after = 0;
    bool stopped = false;
    while (!stopped) {
        const std::vector<storage::QueuedFeedback> page = queue.queued_feedback(after, k_page);
        if (page.empty()) {
            break;
        }
        signals.clear();
        for (const storage::QueuedFeedback& q : page) {
            after = q.feedback.id;
            if (stopped) {
                ++tally.untried;
                continue;
            }
            auto it = signals.find(q.signal_id);
            if (it == signals.end()) {
                it = signals.emplace(q.signal_id, load_signal(session, access, q.signal_id)).first;
            }
            const domain::Timestamp now = session.now();
            std::string text;
            std::string message_id;
            try {
                const mail::Message message = mail::compose(it->second, q.feedback, templates, from,
                                                            session.impact_settings(), now);
                message_id = message.message_id;
                text = mail::render_message(message);
                if (dry_run == DryRun::yes) {
                    if (session.json()) {
                        Json entry = mail_json(q, "would-send", message_id, "");
                        entry["subject"] = message.subject;
                        entry["body"] = message.body;
                        entry["message"] = text;
                        mails.push_back(std::move(entry));
                    } else if (!session.quiet()) {
                        session.out() << fmt::format("would send {}\nSubject: {}\n\n{}\n",
                                                     describe(q), message.subject, message.body);
                    }
                    ++tally.sent;
                    continue;
                }
            } catch (const InvalidInput& e) {
                // This mail can never be sent as it is (a recipient with a line break, say).
                const std::string error = fmt::format("cannot build the mail: {}", e.what());
                if (dry_run == DryRun::no) {
                    record(store, [&](storage::FeedbackQueue& fq) {
                        fq.mark_feedback_failed(q.feedback.id, now, error,
                                                storage::Failure::permanent);
                    });
                }
                session.err() << fmt::format("sileram: {} failed: {}\n", describe(q), error);
                mails.push_back(mail_json(q, "failed", "", error));
                ++tally.failed;
                continue;
            }
            if (!transport) {
                transport = mail::open_transport(settings);
            }
            const mail::SendResult result =
                transport->send(from.address, q.feedback.recipient, text, file_name(message_id));
            const domain::Timestamp done = session.now();
            switch (result.delivery) {
            case Delivery::accepted:
                record(store, [&](storage::FeedbackQueue& fq) {
                    fq.mark_feedback_sent(q.feedback.id, done, message_id);
                });
                mails.push_back(mail_json(q, "sent", message_id, ""));
                ++tally.sent;
                break;
            case Delivery::permanent:
                record(store, [&](storage::FeedbackQueue& fq) {
                    fq.mark_feedback_failed(q.feedback.id, done, result.error,
                                            storage::Failure::permanent);
                });
                session.err() << fmt::format("sileram: {} refused for good, marked failed: {}\n",
                                             describe(q), result.error);
                mails.push_back(mail_json(q, "failed", message_id, result.error));
                ++tally.failed;
                break;
            case Delivery::temporary:
                record(store, [&](storage::FeedbackQueue& fq) {
                    fq.mark_feedback_failed(q.feedback.id, done, result.error,
                                            storage::Failure::temporary);
                });
                mails.push_back(mail_json(q, "queued", message_id, result.error));
                ++tally.deferred;
                if (result.scope == mail::Scope::every_mail) {
                    stopped = true;
                    tally.stop_reason = result.error;
                } else {
                    session.err() << fmt::format("sileram: {} stays queued: {}\n", describe(q),
                                                 result.error);
                }
                break;
            }
        }
    }
    transport.reset(); // QUIT, before the summary

    const int queued = tally.deferred + tally.untried;
    if (session.json()) {
        print_json(session, Json{{"locked", false},
                                 {"dry_run", dry_run == DryRun::yes},
                                 {(dry_run == DryRun::yes ? "would_send" : "sent"), tally.sent},
                                 {"failed", tally.failed},
                                 {"queued", queued},
                                 {"mails", mails}});
    } else if (!session.quiet()) {
        if (dry_run == DryRun::yes) {
            session.out() << fmt::format("dry run: would send {} mail{}; nothing sent or changed\n",
                                         tally.sent, tally.sent == 1 ? "" : "s");
        } else {
            session.out() << fmt::format("sent {} mail{}, {} failed, {} still queued\n", tally.sent,
                                         tally.sent == 1 ? "" : "s", tally.failed, queued);
        }
    }
    if (queued > 0) {
        throw TemporaryFailure(
            fmt::format("{} mail{} stay queued{}; run `sileram close --send` again later", queued,
                        queued == 1 ? "" : "s",
                        tally.stop_reason.empty() ? "" : fmt::format(" ({})", tally.stop_reason)));
    }
    if (tally.failed > 0 && dry_run == DryRun::no) {
        throw Refused(fmt::format("{} mail{} refused for good and marked failed; `sileram show ID` "
                                  "names the error",
                                  tally.failed, tally.failed == 1 ? " was" : "s were"));
    }
}

} // namespace sileram::commands
