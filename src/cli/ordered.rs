//! Jobs run in parallel, their results handed over in job order as soon as each one and all
//! before it are done, with a bounded window: a job starts only when it is fewer than `window`
//! places after the first result not yet handed over, so at most `window` results wait at any
//! time, however many jobs there are and however slow one of them is.
//!
//! No thread stands between the workers and the output: the worker that finishes the next
//! result in order hands it over, with every later one already done, while the other workers
//! go on with their jobs (they only leave their results). The calling thread only keeps time:
//! woken when something was handed over, it waits [`GATHER`] and then has the output flushed
//! (by the worker handing results over, if one is), so that a result never waits for the
//! output longer than that, even behind a slow job, and no worker ever waits for this thread.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use anyhow::{Result, anyhow};

/// Longest a handed-over result waits before `emit` is told to flush.
pub const GATHER: Duration = Duration::from_millis(2);

/// What `emit` is handed.
pub enum Event<R> {
    /// The next result in job order.
    Ready(R),
    /// Time to flush what was emitted: results were handed over [`GATHER`] ago, or earlier.
    Waiting,
}

/// Runs `work` on every job on rayon's threads and calls `emit` with the results in job
/// order (on whichever worker has the next one), and with [`Event::Waiting`] from the calling
/// thread at most [`GATHER`] after a result was emitted. An error of `emit` stops the jobs
/// not yet started and is returned once the running ones have ended.
pub fn for_each<T, R, E>(jobs: &[T], window: usize, work: impl Fn(&T) -> R + Sync, emit: E) -> Result<()>
where
    T: Sync,
    R: Send,
    E: FnMut(Event<R>) -> Result<()> + Send,
{
    let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    let board = Board::new(window.max(1), jobs.len(), workers, emit);
    let (board_ref, work_ref) = (&board, &work);
    rayon::in_place_scope(|scope| {
        for _ in 0..workers {
            scope.spawn(move |_| board_ref.work(jobs, work_ref));
        }
        board_ref.keep_time()
    })
}

fn ended() -> anyhow::Error {
    anyhow!("a verification ended without a report")
}

/// Which job starts next, the results not yet handed over, and who waits for what.
struct Board<R, E> {
    state: Mutex<State<R>>,
    /// Held by the worker handing results over, and by the calling thread to flush.
    emit: Mutex<E>,
    /// Workers wait here for the window to move.
    moved: Condvar,
    /// The calling thread waits here for something to flush, or the end.
    caller: Condvar,
    window: usize,
    len: usize,
}

struct State<R> {
    /// The next job to start.
    next: usize,
    /// Results handed over (the first result not yet handed over).
    handed_over: usize,
    /// Finished results not yet handed over, job `i` at `i % window`.
    early: Vec<Option<R>>,
    /// A thread is handing results over (or flushing): the only one that calls `emit`.
    emitting: bool,
    /// The calling thread asks the worker handing results over to flush when it is done.
    flush_wanted: bool,
    stopped: bool,
    /// The first error of `emit`.
    error: Option<anyhow::Error>,
    /// Results were handed over since the last flush.
    unflushed: bool,
    /// The calling thread waits for `unflushed` (and is woken when it is set).
    caller_waits: bool,
    /// Workers still taking jobs.
    workers: usize,
    /// Workers waiting for the window to move (woken only when there are).
    waiting: usize,
}

impl<R> State<R> {
    fn over(&self, len: usize) -> bool {
        self.handed_over >= len || self.stopped || self.workers == 0
    }
}

impl<R, E: FnMut(Event<R>) -> Result<()>> Board<R, E> {
    fn new(window: usize, len: usize, workers: usize, emit: E) -> Board<R, E> {
        Board {
            state: Mutex::new(State {
                next: 0,
                handed_over: 0,
                early: std::iter::repeat_with(|| None).take(window).collect(),
                emitting: false,
                flush_wanted: false,
                stopped: false,
                error: None,
                unflushed: false,
                caller_waits: false,
                workers,
                waiting: 0,
            }),
            emit: Mutex::new(emit),
            moved: Condvar::new(),
            caller: Condvar::new(),
            window,
            len,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_emit(&self) -> MutexGuard<'_, E> {
        self.emit.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker: leaves each result and takes the next job under one lock, and hands the
    /// results over when it finished the first one not yet handed over.
    fn work<T>(&self, jobs: &[T], work: &impl Fn(&T) -> R) {
        let _leaving = Leaving(self);
        let mut finished = None;
        loop {
            let mut s = self.lock();
            if let Some((i, result)) = finished.take() {
                s.early[i % self.window] = Some(result);
                if i == s.handed_over && !s.emitting && !s.stopped {
                    s = self.hand_over(s);
                }
            }
            let Some(i) = self.take(s) else { return };
            finished = Some((i, work(&jobs[i])));
        }
    }

    /// Hands over the results that are ready in order, and flushes when the calling thread
    /// asked for it meanwhile; `emit` is called without the state's lock (the other workers
    /// leave their results meanwhile), until the next result is not ready.
    fn hand_over<'a>(&'a self, mut s: MutexGuard<'a, State<R>>) -> MutexGuard<'a, State<R>> {
        s.emitting = true;
        let mut ready = Vec::new();
        loop {
            let from = s.handed_over;
            while from + ready.len() < self.len {
                match s.early[(from + ready.len()) % self.window].take() {
                    Some(r) => ready.push(r),
                    None => break,
                }
            }
            let flush = std::mem::take(&mut s.flush_wanted);
            if (ready.is_empty() && !flush) || s.stopped {
                break;
            }
            drop(s);
            let n = ready.len();
            let result = {
                let mut emit = self.lock_emit();
                let emitted = ready.drain(..).try_for_each(|r| (*emit)(Event::Ready(r)));
                emitted.and_then(|()| if flush { (*emit)(Event::Waiting) } else { Ok(()) })
            };
            s = self.lock();
            s.handed_over = from + n;
            if s.waiting > 0 {
                self.moved.notify_all();
            }
            let unflushed = !flush && (n > 0 || s.unflushed);
            let tell = (unflushed && !s.unflushed && s.caller_waits) || result.is_err() || s.handed_over >= self.len;
            s.unflushed = unflushed;
            if let Err(e) = result {
                self.fail(&mut s, e);
            }
            if tell {
                self.caller.notify_one();
            }
        }
        s.emitting = false;
        s
    }

    /// Stops the run on an error of `emit`.
    fn fail(&self, s: &mut State<R>, e: anyhow::Error) {
        s.error.get_or_insert(e);
        s.stopped = true;
        self.moved.notify_all();
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
                return Some(s.next - 1);
            }
            s.waiting += 1;
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.waiting -= 1;
        }
    }

    /// The calling thread: flushes [`GATHER`] after results were handed over, until every
    /// one was or the run stopped; then says how it ended. While a worker hands results over,
    /// it asks that worker to flush instead (so that no worker ever waits for this thread).
    fn keep_time(&self) -> Result<()> {
        let mut s = self.lock();
        while !s.over(self.len) {
            if !s.unflushed {
                s.caller_waits = true;
                s = self.caller.wait(s).unwrap_or_else(PoisonError::into_inner);
                s.caller_waits = false;
                continue;
            }
            s = self
                .caller
                .wait_timeout(s, GATHER)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if s.over(self.len) || !s.unflushed {
                continue;
            }
            if s.emitting {
                s.flush_wanted = true;
                continue;
            }
            s.emitting = true;
            s.unflushed = false;
            drop(s);
            let flushed = (*self.lock_emit())(Event::Waiting);
            s = self.lock();
            s.emitting = false;
            if let Err(e) = flushed {
                self.fail(&mut s, e);
            } else if s.early[s.handed_over % self.window].is_some() {
                // Finished while this thread flushed: no worker handed it over.
                s = self.hand_over(s);
            }
        }
        match s.error.take() {
            Some(e) => Err(e),
            None if s.handed_over < self.len => Err(ended()),
            None => Ok(()),
        }
    }
}

/// A worker's end, however it ends: the calling thread is told when no worker is left. A job
/// that panics stops the run (its result will never come, and the window would not move
/// past it).
struct Leaving<'a, R, E>(&'a Board<R, E>);

impl<R, E> Drop for Leaving<'_, R, E> {
    fn drop(&mut self) {
        let mut s = self.0.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.workers -= 1;
        if std::thread::panicking() {
            s.stopped = true;
            self.0.moved.notify_all();
        }
        if s.workers == 0 || s.stopped {
            self.0.caller.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// The results `for_each` hands over, in the order it hands them.
    fn results(jobs: &[u64], window: usize, work: impl Fn(&u64) -> u64 + Sync) -> Vec<u64> {
        let mut seen = Vec::new();
        let collect = |e| {
            if let Event::Ready(r) = e {
                seen.push(r);
            }
            Ok(())
        };
        for_each(jobs, window, work, collect).unwrap();
        seen
    }

    #[test]
    fn results_come_in_job_order() {
        let jobs: Vec<u64> = (0..200).collect();
        let seen = results(&jobs, 8, |j| {
            // Later jobs finish first within a window.
            std::thread::sleep(Duration::from_micros((200 - j) * 20));
            *j
        });
        assert_eq!(seen, jobs);
    }

    /// Jobs of uneven length on four threads, a small window: whichever thread hands a result
    /// over, each comes once and in order.
    #[test]
    fn uneven_jobs_on_several_threads_come_once_in_order() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let jobs: Vec<u64> = (0..3000).collect();
        let seen = pool.install(|| {
            results(&jobs, 8, |&j| {
                if j % 97 == 0 {
                    std::thread::sleep(Duration::from_millis(3));
                }
                j
            })
        });
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
