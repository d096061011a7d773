//! Jobs run in parallel, their results handed over in job order as soon as each one and all
//! before it are done, with a bounded window: a job starts only when it is fewer than `window`
//! places after the first result not yet handed over, so at most `window` results wait at any
//! time, however many jobs there are and however slow one of them is.
//!
//! The calling thread is woken for the first result after it had none, and then collects a
//! batch (a quarter of the window) or what came within [`GATHER`], whichever is first: not once
//! per result, which with short jobs costs as much as a job.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

/// Longest a finished result waits for the calling thread once it has been woken for it.
pub const GATHER: Duration = Duration::from_millis(2);

/// What the calling thread is handed.
pub enum Event<R> {
    /// The next result in job order.
    Ready(R),
    /// The thread may wait for the next results (time to flush what was emitted, so that no
    /// result waits for the output longer than the thread does).
    Waiting,
}

/// Runs `work` on every job on rayon's threads and calls `emit` with the results in job
/// order, on the calling thread, and with [`Event::Waiting`] before it waits for one. An
/// error of `emit` stops the jobs not yet started and is returned once the running ones have
/// ended.
pub fn for_each<T, R>(
    jobs: &[T],
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(Event<R>) -> Result<()>,
) -> Result<()>
where
    T: Sync,
    R: Send,
{
    let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    let board = Board::new(window.max(1), jobs.len(), workers);
    let (board_ref, work_ref) = (&board, &work);
    rayon::in_place_scope(|scope| {
        for _ in 0..workers {
            scope.spawn(move |_| board_ref.work(jobs, work_ref));
        }
        let result = hand_over(board_ref, jobs.len(), &mut emit);
        if result.is_err() {
            board_ref.stop();
        }
        result
    })
}

/// Collects the results and emits them in order; the ones that came early wait in a ring of
/// `window` places (a result is never `window` places or more ahead of the next one to emit).
fn hand_over<R>(board: &Board<R>, len: usize, emit: &mut impl FnMut(Event<R>) -> Result<()>) -> Result<()> {
    let mut early: Vec<Option<R>> = std::iter::repeat_with(|| None).take(board.window).collect();
    let mut batch = Vec::new();
    let mut next = 0;
    while next < len {
        board.collect(next, &mut batch, &mut *emit)?;
        for (i, r) in batch.drain(..) {
            early[i % board.window] = Some(r);
        }
        while let Some(r) = early.get_mut(next % board.window).and_then(Option::take) {
            emit(Event::Ready(r))?;
            next += 1;
        }
    }
    Ok(())
}

fn ended() -> anyhow::Error {
    anyhow!("a verification ended without a report")
}

/// Which job starts next, the results not yet collected, and who waits for what.
struct Board<R> {
    state: Mutex<State<R>>,
    /// Workers wait here for the window to move.
    moved: Condvar,
    /// The calling thread waits here for results.
    ready: Condvar,
    window: usize,
    batch: usize,
    len: usize,
}

struct State<R> {
    next: usize,
    handed_over: usize,
    stopped: bool,
    /// Finished results, not yet collected.
    done: Vec<(usize, R)>,
    /// Jobs started and not finished.
    running: usize,
    /// Workers still taking jobs.
    workers: usize,
    /// Workers waiting for the window to move (woken only when there are).
    waiting: usize,
    caller: Wants,
}

/// What the waiting calling thread is to be woken for.
#[derive(Clone, Copy, PartialEq)]
enum Wants {
    Nothing,
    /// Any result: it has none.
    Any,
    /// A full batch (or the last results).
    Batch,
}

impl<R> Board<R> {
    fn new(window: usize, len: usize, workers: usize) -> Board<R> {
        Board {
            state: Mutex::new(State {
                next: 0,
                handed_over: 0,
                stopped: false,
                done: Vec::new(),
                running: 0,
                workers,
                waiting: 0,
                caller: Wants::Nothing,
            }),
            moved: Condvar::new(),
            ready: Condvar::new(),
            window,
            batch: (window / 4).max(1),
            len,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker: takes jobs and leaves their results, one lock for both.
    fn work<T>(&self, jobs: &[T], work: &impl Fn(&T) -> R) {
        let _leaving = Leaving(self);
        let mut finished = None;
        loop {
            let mut s = self.lock();
            if let Some(result) = finished.take() {
                self.leave(&mut s, result);
            }
            let Some(i) = self.take(s) else { return };
            finished = Some((i, work(&jobs[i])));
        }
    }

    fn leave(&self, s: &mut State<R>, result: (usize, R)) {
        s.running -= 1;
        s.done.push(result);
        let wake = match s.caller {
            Wants::Any => true,
            Wants::Batch => s.done.len() >= self.batch || s.running == 0,
            Wants::Nothing => false,
        };
        if wake {
            self.ready.notify_one();
        }
    }

    /// The next job to run, once it is within the window; `None` when there is none left or
    /// the run was stopped.
    fn take(&self, mut s: MutexGuard<'_, State<R>>) -> Option<usize> {
        loop {
            if s.stopped || s.next >= self.len {
                return None;
            }
            if s.next < s.handed_over.saturating_add(self.window) {
                s.next += 1;
                s.running += 1;
                return Some(s.next - 1);
            }
            s.waiting += 1;
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.waiting -= 1;
        }
    }

    /// The calling thread: says how far it has handed over, then moves the finished results
    /// into `out` (empty), waiting for them as the module says; `emit` is told before it may
    /// wait.
    fn collect(
        &self,
        handed_over: usize,
        out: &mut Vec<(usize, R)>,
        emit: &mut impl FnMut(Event<R>) -> Result<()>,
    ) -> Result<()> {
        let mut s = self.lock();
        s.handed_over = handed_over;
        if s.waiting > 0 {
            self.moved.notify_all();
        }
        if s.done.len() < self.batch {
            drop(s);
            emit(Event::Waiting)?;
            s = self.lock();
        }
        let mut s = self.gather(s)?;
        std::mem::swap(&mut s.done, out);
        Ok(())
    }

    /// Waits for a result, then for a batch or [`GATHER`].
    fn gather<'a>(&self, mut s: MutexGuard<'a, State<R>>) -> Result<MutexGuard<'a, State<R>>> {
        let mut deadline = None;
        loop {
            if s.done.len() >= self.batch || (!s.done.is_empty() && s.running == 0) {
                return Ok(s);
            }
            if s.done.is_empty() && s.workers == 0 {
                return Err(ended());
            }
            let now = Instant::now();
            let until = match (s.done.is_empty(), deadline) {
                (true, _) => None,
                (false, None) => Some(*deadline.insert(now + GATHER)),
                (false, Some(d)) if d <= now => return Ok(s),
                (false, Some(d)) => Some(d),
            };
            s.caller = if until.is_some() { Wants::Batch } else { Wants::Any };
            s = match until {
                None => self.ready.wait(s).unwrap_or_else(PoisonError::into_inner),
                Some(d) => {
                    self.ready
                        .wait_timeout(s, d - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
            s.caller = Wants::Nothing;
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.moved.notify_all();
    }
}

/// A worker's end, however it ends: the calling thread is told when no worker is left. A job
/// that panics stops the run (its result will never come, and the window would not move
/// past it).
struct Leaving<'a, R>(&'a Board<R>);

impl<R> Drop for Leaving<'_, R> {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.workers -= 1;
        if std::thread::panicking() {
            s.stopped = true;
            self.0.moved.notify_all();
        }
        if s.caller != Wants::Nothing {
            self.0.ready.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn results_come_in_job_order() {
        let jobs: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        for_each(
            &jobs,
            8,
            |j| {
                // Later jobs finish first within a window.
                std::thread::sleep(Duration::from_micros((200 - j) * 20));
                *j
            },
            |e| {
                if let Event::Ready(r) = e {
                    seen.push(r);
                }
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, jobs);
    }

    /// A slow first job: the others run on only up to the window, so no more than `window`
    /// results ever wait, whatever the number of jobs.
    #[test]
    fn a_slow_job_holds_at_most_a_window_of_results() {
        let window = 5;
        let started = AtomicUsize::new(0);
        let running_ahead = AtomicUsize::new(0);
        let jobs: Vec<usize> = (0..100).collect();
        let mut emitted = 0;
        for_each(
            &jobs,
            window,
            |&j| {
                let n = started.fetch_add(1, Ordering::SeqCst) + 1;
                if j == 0 {
                    // Give the other workers time to run ahead as far as they may.
                    std::thread::sleep(Duration::from_millis(200));
                    running_ahead.store(started.load(Ordering::SeqCst), Ordering::SeqCst);
                }
                n
            },
            |e| {
                emitted += usize::from(matches!(e, Event::Ready(_)));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(emitted, 100);
        let ahead = running_ahead.load(Ordering::SeqCst);
        assert!(ahead <= window, "{ahead} jobs started while the first was running");
        if rayon::current_num_threads() > 1 {
            assert_eq!(ahead, window, "the other workers ran on up to the window");
        }
    }

    /// Whatever was emitted is flushed before the caller waits on a slow job, not after it.
    #[test]
    fn the_caller_is_told_before_it_waits() {
        let jobs: Vec<u64> = (0..4).collect();
        let mut events = Vec::new();
        for_each(
            &jobs,
            8,
            |&j| {
                if j == 1 {
                    std::thread::sleep(Duration::from_millis(300));
                }
                j
            },
            |e| {
                events.push(match e {
                    Event::Ready(j) => Some(j),
                    Event::Waiting => None,
                });
                Ok(())
            },
        )
        .unwrap();
        let ready: Vec<u64> = events.iter().flatten().copied().collect();
        assert_eq!(ready, jobs);
        let at = |j| events.iter().position(|e| *e == Some(j)).unwrap();
        assert!(events[at(0)..at(1)].contains(&None), "{events:?}");
    }

    #[test]
    fn a_panicking_job_ends_the_run_with_an_error() {
        let jobs: Vec<usize> = (0..100).collect();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for_each(&jobs, 4, |&j| if j == 3 { panic!("job 3") } else { j }, |_| Ok(()))
        }));
        // rayon hands the panic on at the end of the scope; the run ends either way.
        if let Ok(result) = run {
            assert!(result.is_err());
        }
    }

    #[test]
    fn an_emit_error_stops_the_run() {
        let jobs: Vec<usize> = (0..1000).collect();
        let ran = AtomicUsize::new(0);
        let err = for_each(
            &jobs,
            4,
            |j| {
                ran.fetch_add(1, Ordering::SeqCst);
                *j
            },
            |e| match e {
                Event::Ready(10) => Err(anyhow!("closed")),
                _ => Ok(()),
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "closed");
        assert!(ran.load(Ordering::SeqCst) <= 10 + 4 + 1);
    }
}
