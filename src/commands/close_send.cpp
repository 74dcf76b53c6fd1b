#include "close_send.hpp"

#include "sileram/commands/common.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/mail/content.hpp"
#include "sileram/mail/transport.hpp"

#include <chrono>
#include <fmt/format.h>
#include <map>
#include <ostream>

namespace sileram::commands {

namespace {

using mail::Delivery;
using Json = nlohmann::ordered_json;

constexpr int k_page = 200;
// How long recording a mail's fate waits for the write lock (an import holds it for minutes on a
// large file). The claim keeps every other run off the mail meanwhile, so waiting costs nothing
// but time, and giving up early would leave a mail the server has in doubt.
constexpr std::chrono::seconds k_record_patience{600};
// How long a claim may stand unrecorded before a later run marks the mail failed as in doubt:
// longer than a run takes to send one mail (its transfer ends after 60 s without progress) and
// record it (k_record_patience).
constexpr std::chrono::seconds k_claim_lease{3600};
// Marking an expired claim failed is a short write like any other.
constexpr std::chrono::seconds k_short_wait{5};

struct Tally {
    int sent = 0;
    int failed = 0;
    int deferred = 0; // stayed queued after a temporary failure
    int untried = 0;  // left queued because the run stopped
    int in_doubt = 0; // `sending`, claimed by another run that has not recorded it (yet)
    std::string stop_reason;
    std::string unrecorded; // a mail this run sent, or tried, but could not record
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

// The message file's name for the folder transport: the Message-ID's local part.
std::string file_name(const std::string& message_id) {
    return message_id.substr(0, message_id.find('@'));
}

// Without a [mail] url, the built-in smtp://localhost:25 is a guess; refuse before claiming a mail
// rather than report a failed connection to a server nobody chose.
void require_mail_settings(const Session& session) {
    if (session.config().mail.url_given) {
        return;
    }
    const auto& source = session.config().source;
    throw InvalidInput(fmt::format(
        "no mail server is configured: set mail.url (smtp://host:port, smtps://host:port or "
        "file:///folder) and mail.from (\"Name <address>\") in the [mail] section of {}",
        source ? source->string() : "a configuration file (sileram.toml, or --config FILE)"));
}

// Mails left `sending` by other runs: reported as in doubt, and once their claim is older than
// the lease, marked failed. Never sent again: the server may have accepted them.
void settle_claimed(Session& session, storage::FeedbackQueue& queue, DryRun dry_run, Tally& tally,
                    Json& mails) {
    const domain::Timestamp now = session.now();
    for (const storage::QueuedFeedback& q : queue.claimed_feedback()) {
        const domain::Timestamp claimed_at = q.claimed_at.value_or(now);
        const std::string holder = mail::claim_holder(q.claim);
        const std::string at = domain::format_timestamp(claimed_at);
        const std::string& message_id = q.feedback.message_id;
        if (dry_run == DryRun::no && now - claimed_at >= k_claim_lease) {
            const std::string reason = fmt::format(
                "delivery in doubt: claimed at {} by {}, which never recorded whether the server "
                "accepted it; not sent again, as it may have arrived",
                at, holder);
            if (queue.mark_feedback_failed(q.feedback.id, q.claim, now, reason,
                                           storage::Failure::permanent, k_short_wait)) {
                session.err() << fmt::format("sileram: {} marked failed: {}\n", describe(q),
                                             reason);
                mails.push_back(mail_json(q, "failed", message_id, reason));
                ++tally.failed;
            }
            continue;
        }
        const std::string note = fmt::format(
            "claimed at {} by {} and not recorded yet: in doubt if that run is gone; not sent "
            "again, and marked failed once the claim is {} hour old",
            at, holder, k_claim_lease.count() / 3600);
        session.err() << fmt::format("sileram: {} is in doubt: {}\n", describe(q), note);
        mails.push_back(mail_json(q, "in-doubt", message_id, note));
        ++tally.in_doubt;
    }
}

// Records the answer of the server for mail `q` under `claim`; false when the database stayed
// busy past k_record_patience, and the mail stays `sending` (tally.unrecorded says which and why).
bool record_result(Session& session, storage::FeedbackQueue& queue,
                   const storage::QueuedFeedback& q, const std::string& claim,
                   const mail::SendResult& result, Tally& tally, Json& mails) {
    const domain::Feedback& f = q.feedback;
    const domain::Timestamp done = session.now();
    try {
        switch (result.delivery) {
        case Delivery::accepted:
            queue.mark_feedback_sent(f.id, claim, done, k_record_patience);
            mails.push_back(mail_json(q, "sent", f.message_id, ""));
            ++tally.sent;
            break;
        case Delivery::permanent:
            queue.mark_feedback_failed(f.id, claim, done, result.error, storage::Failure::permanent,
                                       k_record_patience);
            session.err() << fmt::format("sileram: {} refused for good, marked failed: {}\n",
                                         describe(q), result.error);
            mails.push_back(mail_json(q, "failed", f.message_id, result.error));
            ++tally.failed;
            break;
        case Delivery::temporary:
            queue.mark_feedback_failed(f.id, claim, done, result.error, storage::Failure::temporary,
                                       k_record_patience);
            mails.push_back(mail_json(q, "queued", f.message_id, result.error));
            ++tally.deferred;
            if (result.scope == mail::Scope::every_mail) {
                tally.stop_reason = result.error;
                return false;
            }
            session.err() << fmt::format("sileram: {} stays queued: {}\n", describe(q),
                                         result.error);
            break;
        }
    } catch (const TemporaryFailure& e) {
        const std::string what = result.delivery == Delivery::accepted
                                     ? "was accepted by the server"
                                     : fmt::format("failed ({})", result.error);
        tally.unrecorded = fmt::format(
            "{} {}, but that could not be recorded: {}. It stays `sending` under this run's "
            "claim: it is never sent again; later runs report it as in doubt and mark it failed "
            "after {} hour",
            describe(q), what, e.what(), k_claim_lease.count() / 3600);
        mails.push_back(mail_json(q, "sending", f.message_id, e.what()));
        return false;
    }
    return true;
}

// A merged submitter reads their own story: the signal they raised, before it joined this one.
std::optional<mail::OwnSignal> own_signal(storage::Store& store, const domain::Signal& signal,
                                          const std::string& recipient) {
    const auto merged = signal.merged_from(recipient);
    if (!merged) {
        return std::nullopt;
    }
    const auto own = store.load(*merged);
    if (!own) {
        return std::nullopt;
    }
    return mail::OwnSignal{own->id, own->title, own->submitted_at};
}

} // namespace

void preview_close(Session& session, const domain::Signal& closed) {
    const mail::Templates templates = load_templates(session.config());
    const mail::Mailbox from = mail::parse_mailbox(session.config().mail.from, "mail.from");
    Json mails = Json::array();
    std::size_t would_queue = 0; // the text output fills no `mails`
    for (const domain::Feedback& f : closed.feedback) {
        if (f.id != 0) {
            continue; // queued before: not this close's
        }
        ++would_queue;
        const mail::Message message =
            mail::compose(closed, f, templates, from, session.impact_settings(), session.now(),
                          own_signal(session.store(storage::Access::read), closed, f.recipient));
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
            would_queue, would_queue == 1 ? "" : "s");
    }
}

void send_feedback(Session& session, DryRun dry_run) {
    const config::MailSettings& settings = session.config().mail;
    // Everything the user must fix is checked before anything is claimed or sent.
    const mail::Templates templates = load_templates(session.config());
    const mail::Mailbox from = mail::parse_mailbox(settings.from, "mail.from");

    // A dry run only reads: a database that does not exist is not created.
    const storage::Access access =
        dry_run == DryRun::yes ? storage::Access::read : storage::Access::write;
    storage::Store& store = session.store(access);
    storage::FeedbackQueue& queue = store.feedback_queue();
    // Each mail is claimed in the database before it is sent, so two runs never send one mail,
    // whichever path or link to the file each was given.
    const std::string claim = dry_run == DryRun::no ? mail::new_claim() : "";
    std::unique_ptr<mail::Transport> transport;
    std::map<domain::SignalId, domain::Signal> signals; // the signal of the current page
    Tally tally;
    Json mails = Json::array();
    settle_claimed(session, queue, dry_run, tally, mails);
    domain::RowId after = 0;
    bool stopped = false;
    while (!stopped) {
        const std::vector<storage::QueuedFeedback> page = queue.queued_feedback(after, k_page);
        if (page.empty()) {
            break;
        }
        signals.clear();
        for (storage::QueuedFeedback q : page) {
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
            if (dry_run == DryRun::no) {
                if (!transport) {
                    // Before the first claim: a transport that cannot be made claims nothing.
                    require_mail_settings(session);
                    transport = mail::open_transport(settings);
                }
                std::optional<std::string> message_id;
                try {
                    message_id = queue.claim_feedback(
                        q.feedback.id, claim, now,
                        mail::new_message_id(q.signal_id, q.feedback.id, from.address));
                } catch (const TemporaryFailure& e) {
                    // Nothing claimed, nothing sent: this mail and the rest stay queued.
                    stopped = true;
                    tally.stop_reason = e.what();
                    ++tally.untried;
                    continue;
                }
                if (!message_id) {
                    continue; // another run claimed it after this one read the page
                }
                q.feedback.message_id = *message_id;
            }
            std::string text;
            std::string message_id;
            try {
                const mail::Message message = mail::compose(
                    it->second, q.feedback, templates, from, session.impact_settings(), now,
                    own_signal(session.store(access), it->second, q.feedback.recipient));
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
                        session.out() << fmt::format(
                            "would send {}\nSubject: {}\n\n{}\n", describe(q),
                            domain::printable(message.subject, domain::Lines::single),
                            domain::printable(message.body, domain::Lines::multi));
                    }
                    ++tally.sent;
                    continue;
                }
            } catch (const InvalidInput& e) {
                if (dry_run == DryRun::yes) {
                    const std::string error = fmt::format("cannot build the mail: {}", e.what());
                    session.err() << fmt::format("sileram: {} failed: {}\n", describe(q), error);
                    mails.push_back(mail_json(q, "failed", "", error));
                    ++tally.failed;
                    continue;
                }
                // This mail can never be sent as it is (a recipient with a line break, say).
                const mail::SendResult never{Delivery::permanent, mail::Scope::this_mail,
                                             fmt::format("cannot build the mail: {}", e.what())};
                stopped = !record_result(session, queue, q, claim, never, tally, mails);
                continue;
            }
            mail::SendResult result;
            try {
                result = transport->send(from.address, q.feedback.recipient, text,
                                         file_name(message_id));
            } catch (const std::exception& e) {
                // The transport failed before handing anything over (libcurl missing or
                // refusing an option): the mail goes back to the queue, then the run ends.
                const mail::SendResult unsent{Delivery::temporary, mail::Scope::every_mail,
                                              e.what()};
                record_result(session, queue, q, claim, unsent, tally, mails);
                throw;
            }
            stopped = !record_result(session, queue, q, claim, result, tally, mails);
        }
    }
    transport.reset(); // QUIT, before the summary

    const int queued = tally.deferred + tally.untried;
    if (session.json()) {
        print_json(session, Json{{"dry_run", dry_run == DryRun::yes},
                                 {(dry_run == DryRun::yes ? "would_send" : "sent"), tally.sent},
                                 {"failed", tally.failed},
                                 {"queued", queued},
                                 {"in_doubt", tally.in_doubt},
                                 {"mails", mails}});
    } else if (!session.quiet()) {
        if (dry_run == DryRun::yes) {
            session.out() << fmt::format("dry run: would send {} mail{}; nothing sent or changed\n",
                                         tally.sent, tally.sent == 1 ? "" : "s");
        } else {
            session.out() << fmt::format(
                "sent {} mail{}, {} failed, {} still queued{}\n", tally.sent,
                tally.sent == 1 ? "" : "s", tally.failed, queued,
                tally.in_doubt > 0 ? fmt::format(", {} in doubt", tally.in_doubt) : "");
        }
    }
    if (!tally.unrecorded.empty()) {
        throw TemporaryFailure(tally.unrecorded);
    }
    if (queued > 0) {
        throw TemporaryFailure(
            fmt::format("{} mail{} stay queued{}; run `sileram close --send` again later", queued,
                        queued == 1 ? "" : "s",
                        tally.stop_reason.empty() ? "" : fmt::format(" ({})", tally.stop_reason)));
    }
    if (tally.failed > 0 && dry_run == DryRun::no) {
        throw Refused(fmt::format("{} mail{} marked failed (refused for good, or delivery in "
                                  "doubt); `sileram show ID` names the error",
                                  tally.failed, tally.failed == 1 ? " was" : "s were"));
    }
}

} // namespace sileram::commands
