//! Jobs run in parallel, their results handed over in job order as soon as each one and all
//! before it are done, with a bounded window: a job starts only when it is fewer than `window`
//! places after the first result not yet handed over, so at most `window` results wait at any
//! time, however many jobs there are and however slow one of them is.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use anyhow::{Result, anyhow};

/// What the calling thread is handed.
pub enum Event<R> {
    /// The next result in job order.
    Ready(R),
    /// The next result is not there yet: the thread is about to wait for it (time to flush
    /// what was emitted).
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
    let gate = Gate::new(window.max(1));
    let workers = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    let (gate_ref, work_ref) = (&gate, &work);
    rayon::in_place_scope(|scope| {
        let (tx, rx) = channel::<(usize, R)>();
        for _ in 0..workers {
            let tx = tx.clone();
            scope.spawn(move |_| {
                while let Some(i) = gate_ref.take(jobs.len()) {
                    if tx.send((i, work_ref(&jobs[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let result = hand_over(rx, jobs.len(), gate_ref, &mut emit);
        if result.is_err() {
            gate_ref.stop();
        }
        result
    })
}

/// Receives the results and emits them in order; the ones that came early wait in a map that
/// the gate keeps within the window.
fn hand_over<R>(
    rx: Receiver<(usize, R)>,
    len: usize,
    gate: &Gate,
    emit: &mut impl FnMut(Event<R>) -> Result<()>,
) -> Result<()> {
    let mut early: BTreeMap<usize, R> = BTreeMap::new();
    let mut next = 0;
    while next < len {
        let (i, r) = match rx.try_recv() {
            Ok(ir) => ir,
            Err(TryRecvError::Empty) => {
                emit(Event::Waiting)?;
                rx.recv().map_err(|_| ended())?
            }
            Err(TryRecvError::Disconnected) => return Err(ended()),
        };
        if i != next {
            early.insert(i, r);
            continue;
        }
        emit(Event::Ready(r))?;
        next += 1;
        while let Some(r) = early.remove(&next) {
            emit(Event::Ready(r))?;
            next += 1;
        }
        gate.handed_over(next);
    }
    Ok(())
}

fn ended() -> anyhow::Error {
    anyhow!("a verification ended without a report")
}

/// Which job starts next, and how far the results have been handed over.
struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
    window: usize,
}

struct GateState {
    next: usize,
    handed_over: usize,
    stopped: bool,
    /// Workers waiting for the window to move (woken only when there are).
    waiting: usize,
}

impl Gate {
    fn new(window: usize) -> Gate {
        Gate {
            state: Mutex::new(GateState {
                next: 0,
                handed_over: 0,
                stopped: false,
                waiting: 0,
            }),
            moved: Condvar::new(),
            window,
        }
    }

    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job to run, once it is within the window; `None` when there is none left or
    /// the run was stopped.
    fn take(&self, len: usize) -> Option<usize> {
        let mut s = self.lock();
        loop {
            if s.stopped || s.next >= len {
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

    fn handed_over(&self, count: usize) {
        let mut s = self.lock();
        s.handed_over = count;
        if s.waiting > 0 {
            self.moved.notify_all();
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.moved.notify_all();
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
