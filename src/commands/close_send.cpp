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

namespace {

// A mail built for one queued feedback: the message and its text as it goes on the wire.
struct BuiltMail {
    mail::Message message;
    std::string text;
};

// One run of `close --send`: goes through the queue page by page and sends (or, in a dry run,
// shows) each mail once, recording the server's answer before the next.
class FeedbackRun {
public:
    // Everything the user must fix (templates, mail.from) is checked before anything is claimed
    // or sent; a dry run only reads, so a database that does not exist is not created.
    FeedbackRun(Session& session, DryRun dry_run)
        : m_session(session), m_dry_run(dry_run), m_templates(load_templates(session.config())),
          m_from(mail::parse_mailbox(session.config().mail.from, "mail.from")),
          m_access(dry_run == DryRun::yes ? storage::Access::read : storage::Access::write),
          m_queue(session.store(m_access).feedback_queue()),
          // Each mail is claimed in the database before it is sent, so two runs never send one
          // mail, whichever path or link to the file each was given.
          m_claim(dry_run == DryRun::no ? mail::new_claim() : "") {}

    void run() {
        settle_claimed(m_session, m_queue, m_dry_run, m_tally, m_mails);
        domain::RowId after = 0;
        while (!m_stopped) {
            const std::vector<storage::QueuedFeedback> page =
                m_queue.queued_feedback(after, k_page);
            if (page.empty()) {
                break;
            }
            m_signals.clear();
            for (storage::QueuedFeedback q : page) {
                after = q.feedback.id;
                if (m_stopped) {
                    ++m_tally.untried;
                    continue;
                }
                handle(q);
            }
        }
        m_transport.reset(); // QUIT, before the summary
        print_summary();
        throw_unless_all_done();
    }

private:
    void handle(storage::QueuedFeedback& q) {
        const domain::Signal& signal = signal_of(q.signal_id);
        const domain::Timestamp now = m_session.now();
        if (m_dry_run == DryRun::no && !claim(q, now)) {
            return;
        }
        const std::optional<BuiltMail> built = build(q, signal, now);
        if (!built) {
            return;
        }
        if (m_dry_run == DryRun::yes) {
            show(q, *built);
        } else {
            deliver(q, *built);
        }
    }

    // The signals of the current page, each loaded once.
    const domain::Signal& signal_of(domain::SignalId id) {
        auto it = m_signals.find(id);
        if (it == m_signals.end()) {
            it = m_signals.emplace(id, load_signal(m_session, m_access, id)).first;
        }
        return it->second;
    }

    // Claims mail `q` for this run; false when it is not this run's to send (another run took it,
    // or the database stayed busy, which also ends the run).
    bool claim(storage::QueuedFeedback& q, domain::Timestamp now) {
        if (!m_transport) {
            // Before the first claim: a transport that cannot be made claims nothing.
            require_mail_settings(m_session);
            m_transport = mail::open_transport(m_session.config().mail);
        }
        std::optional<std::string> message_id;
        try {
            message_id = m_queue.claim_feedback(
                q.feedback.id, m_claim, now,
                mail::new_message_id(q.signal_id, q.feedback.id, m_from.address));
        } catch (const TemporaryFailure& e) {
            // Nothing claimed, nothing sent: this mail and the rest stay queued.
            m_stopped = true;
            m_tally.stop_reason = e.what();
            ++m_tally.untried;
            return false;
        }
        if (!message_id) {
            return false; // another run claimed it after this one read the page
        }
        q.feedback.message_id = *message_id;
        return true;
    }

    // The mail for `q`, or nothing when it cannot be built (then recorded as failed).
    std::optional<BuiltMail> build(const storage::QueuedFeedback& q, const domain::Signal& signal,
                                   domain::Timestamp now) {
        try {
            mail::Message message = mail::compose(
                signal, q.feedback, m_templates, m_from, m_session.impact_settings(), now,
                own_signal(m_session.store(m_access), signal, q.feedback.recipient));
            std::string text = mail::render_message(message);
            return BuiltMail{std::move(message), std::move(text)};
        } catch (const InvalidInput& e) {
            refuse_unbuildable(q, fmt::format("cannot build the mail: {}", e.what()));
            return std::nullopt;
        }
    }

    // A mail that can never be sent as it is (a recipient with a line break, say).
    void refuse_unbuildable(const storage::QueuedFeedback& q, const std::string& error) {
        if (m_dry_run == DryRun::yes) {
            m_session.err() << fmt::format("sileram: {} failed: {}\n", describe(q), error);
            m_mails.push_back(mail_json(q, "failed", "", error));
            ++m_tally.failed;
            return;
        }
        const mail::SendResult never{Delivery::permanent, mail::Scope::this_mail, error};
        m_stopped = !record_result(m_session, m_queue, q, m_claim, never, m_tally, m_mails);
    }

    // A dry run's account of the mail it would send.
    void show(const storage::QueuedFeedback& q, const BuiltMail& built) {
        const mail::Message& message = built.message;
        if (m_session.json()) {
            Json entry = mail_json(q, "would-send", message.message_id, "");
            entry["subject"] = message.subject;
            entry["body"] = message.body;
            entry["message"] = built.text;
            m_mails.push_back(std::move(entry));
        } else if (!m_session.quiet()) {
            m_session.out() << fmt::format(
                "would send {}\nSubject: {}\n\n{}\n", describe(q),
                domain::printable(message.subject, domain::Lines::single),
                domain::printable(message.body, domain::Lines::multi));
        }
        ++m_tally.sent;
    }

    void deliver(const storage::QueuedFeedback& q, const BuiltMail& built) {
        mail::SendResult result;
        try {
            result = m_transport->send(m_from.address, q.feedback.recipient, built.text,
                                       file_name(built.message.message_id));
        } catch (const std::exception& e) {
            // The transport failed before handing anything over (libcurl missing or refusing an
            // option): the mail goes back to the queue, then the run ends.
            const mail::SendResult unsent{Delivery::temporary, mail::Scope::every_mail, e.what()};
            record_result(m_session, m_queue, q, m_claim, unsent, m_tally, m_mails);
            throw;
        }
        m_stopped = !record_result(m_session, m_queue, q, m_claim, result, m_tally, m_mails);
    }

    int still_queued() const { return m_tally.deferred + m_tally.untried; }

    void print_summary() {
        const bool dry = m_dry_run == DryRun::yes;
        const int sent = m_tally.sent;
        if (m_session.json()) {
            print_json(m_session, Json{{"dry_run", dry},
                                       {(dry ? "would_send" : "sent"), sent},
                                       {"failed", m_tally.failed},
                                       {"queued", still_queued()},
                                       {"in_doubt", m_tally.in_doubt},
                                       {"mails", m_mails}});
        } else if (m_session.quiet()) {
            return;
        } else if (dry) {
            m_session.out() << fmt::format(
                "dry run: would send {} mail{}; nothing sent or changed\n", sent,
                sent == 1 ? "" : "s");
        } else {
            m_session.out() << fmt::format(
                "sent {} mail{}, {} failed, {} still queued{}\n", sent, sent == 1 ? "" : "s",
                m_tally.failed, still_queued(),
                m_tally.in_doubt > 0 ? fmt::format(", {} in doubt", m_tally.in_doubt) : "");
        }
    }

    // Exit 75 while a mail stays queued or unrecorded (cron tries again), 1 for mails refused.
    void throw_unless_all_done() const {
        const int queued = still_queued();
        if (!m_tally.unrecorded.empty()) {
            throw TemporaryFailure(m_tally.unrecorded);
        }
        if (queued > 0) {
            throw TemporaryFailure(fmt::format(
                "{} mail{} stay queued{}; run `sileram close --send` again later", queued,
                queued == 1 ? "" : "s",
                m_tally.stop_reason.empty() ? "" : fmt::format(" ({})", m_tally.stop_reason)));
        }
        if (m_tally.failed > 0 && m_dry_run == DryRun::no) {
            throw Refused(fmt::format("{} mail{} marked failed (refused for good, or delivery in "
                                      "doubt); `sileram show ID` names the error",
                                      m_tally.failed, m_tally.failed == 1 ? " was" : "s were"));
        }
    }

    Session& m_session;
    DryRun m_dry_run;
    const mail::Templates m_templates;
    const mail::Mailbox m_from;
    storage::Access m_access;
    storage::FeedbackQueue& m_queue;
    const std::string m_claim;
    std::unique_ptr<mail::Transport> m_transport;
    std::map<domain::SignalId, domain::Signal> m_signals;
    Tally m_tally;
    Json m_mails = Json::array();
    bool m_stopped = false;
};

} // namespace

void send_feedback(Session& session, DryRun dry_run) {
    FeedbackRun(session, dry_run).run();
}

} // namespace sileram::commands
