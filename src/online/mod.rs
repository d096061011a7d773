//! Live OCSP (opt-in): after a verification has built its paths, the responders of the
//! certificates whose revocation status no information at hand proved are asked, and the
//! input is verified again with their answers. A shell around the core: the network, the
//! clock and the cache live here; the answers are judged by the core like any OCSP response.
//!
//! Every status asked either ends up established by the core, or the report carries a
//! `LIVE_REVOCATION` check INDETERMINATE / TRY_LATER saying why (responder down, timeout,
//! refused by the allow-list or the address rules, oversized, bad HTTP status, not an OCSP
//! response, nonce mismatch, or an answer that did not establish the status), within the
//! total timeout: never TOTAL_PASSED on a failed fetch, never a hang.

pub mod cache;
pub mod fetch;
pub mod target;

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Instant;

pub use fetch::{FetchConfig, FetchError, Fetched, Fetcher, Responder};

use crate::revocation::path::Info;
use crate::revocation::wanted::StatusWanted;
use crate::verdict::model::file_verdict;
use crate::verdict::{Check, CheckCode, CheckResult, Report, SubIndication};

/// What was asked for one status, and the outcome.
#[derive(Clone, Debug)]
pub struct Asked {
    /// The status asked for.
    pub wanted: StatusWanted,
    /// The response, or why there is none.
    pub outcome: Result<Fetched, Vec<FetchError>>,
}

/// Verifies with live OCSP: `verify` runs the verification with extra revocation information
/// (the caller adds it to what it already hands in, `VerifyContext::revocation`). First run
/// without; when the report lacks revocation statuses, asks their responders (at most
/// [`FetchConfig::max_requests`], [`FetchConfig::concurrency`] at once), runs again with the
/// answers, and adds the `LIVE_REVOCATION` check.
pub async fn verify_with_live_ocsp<F>(fetcher: &Fetcher, verify: F) -> Report
where
    F: Fn(&[Info<'_>]) -> Report,
{
    verify_with_live_ocsp_until(fetcher, None, verify).await
}

/// [`verify_with_live_ocsp`], the asking over by `until` when given (all statuses together,
/// waiting for a turn included; a status not answered by then is reported as
/// [`FetchError::Deadline`]): for a caller with a deadline of its own, such as a request's.
pub async fn verify_with_live_ocsp_until<F>(fetcher: &Fetcher, until: Option<Instant>, verify: F) -> Report
where
    F: Fn(&[Info<'_>]) -> Report,
{
    let first = verify(&[]);
    if first.revocation_wanted.is_empty() {
        return first;
    }
    let first_wanted = first.revocation_wanted.len();
    let asked = fetch_all_until(fetcher, &first.revocation_wanted, until).await;
    let ders: Vec<_> = asked
        .iter()
        .filter_map(|a| a.outcome.as_ref().ok())
        .map(|f| f.der.clone())
        .collect();
    let mut report = if ders.is_empty() {
        first
    } else {
        let infos: Vec<Info<'_>> = ders.iter().map(|d| Info::Ocsp(d.as_slice())).collect();
        verify(&infos)
    };
    let not_asked = first_wanted - asked.len();
    let check = live_check(&asked, &report.revocation_wanted, not_asked);
    add_check(&mut report, check);
    report
}

/// Asks for each status of `wanted` (the first [`FetchConfig::max_requests`]), at most
/// [`FetchConfig::concurrency`] at once; in the order of `wanted`.
pub async fn fetch_all(fetcher: &Fetcher, wanted: &[StatusWanted]) -> Vec<Asked> {
    fetch_all_until(fetcher, wanted, None).await
}

/// [`fetch_all`], every status answered by `until` when given, or reported as
/// [`FetchError::Deadline`].
pub async fn fetch_all_until(fetcher: &Fetcher, wanted: &[StatusWanted], until: Option<Instant>) -> Vec<Asked> {
    let permits = tokio::sync::Semaphore::new(fetcher.config().concurrency.max(1));
    let deadline = until.map(tokio::time::Instant::from_std);
    let jobs = wanted.iter().take(fetcher.config().max_requests).map(|w| {
        let permits = &permits;
        async move {
            let ask = async {
                let _permit = permits.acquire().await;
                fetcher.fetch(w).await
            };
            let outcome = match deadline {
                Some(at) => tokio::time::timeout_at(at, ask)
                    .await
                    .unwrap_or_else(|_| Err(vec![FetchError::Deadline])),
                None => ask.await,
            };
            Asked {
                wanted: w.clone(),
                outcome,
            }
        }
    });
    join_all(jobs.collect()).await
}

/// Polls every future until all are done; their outputs in order.
async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pending: Vec<(usize, Pin<Box<F>>)> = futures.into_iter().map(Box::pin).enumerate().collect();
    let mut done = Vec::with_capacity(pending.len());
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            Poll::Ready(out) => {
                done.push((*i, out));
                false
            }
            Poll::Pending => true,
        });
        if pending.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, out)| out).collect()
}

/// The `LIVE_REVOCATION` check: TRY_LATER when a responder gave no answer, or an answer that
/// left the status unproved (`still_wanted`), or when statuses were left unasked (`not_asked`,
/// beyond [`FetchConfig::max_requests`]).
pub fn live_check(asked: &[Asked], still_wanted: &[StatusWanted], not_asked: usize) -> Check {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    for a in asked {
        let unproved = still_wanted.iter().any(|w| same_cert(w, &a.wanted));
        match describe(a, unproved) {
            Ok(note) => notes.push(note),
            Err(problem) => problems.push(problem),
        }
    }
    if not_asked > 0 {
        problems.push(format!("{not_asked} more statuses wanted than may be asked"));
    }
    let answered = asked.iter().any(|a| a.outcome.is_ok());
    let (result, sub_indication) = match (problems.is_empty(), answered) {
        (false, _) => (CheckResult::Failed, Some(SubIndication::TryLater)),
        (true, true) => (CheckResult::Passed, None),
        (true, false) => (CheckResult::NotRun, None),
    };
    let all: Vec<String> = problems.into_iter().chain(notes).collect();
    Check {
        code: CheckCode::LiveRevocation,
        result,
        sub_indication,
        detail: format!("live OCSP: {}", all.join("; ")).into(),
    }
}

/// What became of one status asked: a note, or (Err) a problem.
fn describe(a: &Asked, unproved: bool) -> Result<String, String> {
    let who = &a.wanted.subject;
    match &a.outcome {
        Ok(f) if unproved => Err(format!("'{who}': the answer of {} did not establish the status", f.url)),
        Ok(f) if f.cached => Ok(format!("'{who}': OCSP answer cached from an earlier request")),
        Ok(f) => Ok(format!("'{who}': OCSP answer from {}", f.url)),
        Err(e) if e.iter().all(FetchError::is_no_responder) => {
            Ok(format!("'{who}': no OCSP responder named or configured"))
        }
        Err(e) => Err(format!("'{who}': {}", join(e))),
    }
}

fn same_cert(a: &StatusWanted, b: &StatusWanted) -> bool {
    a.serial_hex == b.serial_hex && a.issuer_name_hash == b.issuer_name_hash && a.issuer_key_hash == b.issuer_key_hash
}

fn join(errors: &[FetchError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Adds `check` to the file-level checks; the file's indication is the worse of its own and
/// the check's.
pub fn add_check(report: &mut Report, check: Check) {
    let own = (report.indication, report.sub_indication);
    let live = (
        check
            .sub_indication
            .map_or(crate::Indication::TotalPassed, |s| s.indication()),
        check.sub_indication,
    );
    (report.indication, report.sub_indication) = file_verdict([own, live]);
    report.checks.push(check);
}
