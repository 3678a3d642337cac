"""The event loop: one replication of a compiled plan, on a heap of timed events.

The loop runs on the working clock: its time is open minutes of the calendar (see
:class:`~lastmile_flows.simulation.calendar.Clock`), so people's work and waits stop when the
office closes at no cost per event. AI and system steps take their minutes on the same
clock (a case arriving at night is picked up at the next opening). End-to-end cycle times and
the SLA are measured on the calendar (what the customer waits); per-step times and queue
waits are in working minutes; Little's law holds on the working clock.

Time is bounded, not work: the loop stops at the horizon whatever is still queued, so a role
with nobody in it simply collects an ever longer queue (that is the finding, not a hang).
Random numbers come from one numpy ``Generator`` per replication, drawn in blocks and
consumed in a fixed order, so the same seed gives the same events and the same bytes.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections import deque
from typing import Any

from lastmile_flows.simulation.calendar import MINUTES_PER_MONTH, ArrivalProfile, Calendar, Clock
from lastmile_flows.simulation.draws import Streams, arrival_times
from lastmile_flows.simulation.ledger import ErrorLedger
from lastmile_flows.simulation.plan import END, OR, PASS, START, STEP, XOR, Plan
from lastmile_flows.simulation.raw import Raw, numbers, work_in_progress

__all__ = ["Raw", "run_plan"]

READY, DONE, JOB, ARRIVE, SAMPLE, RESUME = range(6)


def run_plan(
    plan: Plan,
    *,
    seed: Any,
    calendar: Calendar,
    months: float,
    volume_per_month: float,
    profile: ArrivalProfile | None = None,
    sample_every: float | None = None,
) -> Raw:
    """One replication of ``months`` at ``volume_per_month`` cases (see the module docstring).

    Long on purpose: the event handlers are closures over the run's state (queues, clocks,
    counters held in local variables), the hot loop of every simulation; split into functions
    or objects, each event would pay attribute lookups and calls. The AI-error accounting,
    rarer, lives in :class:`~lastmile_flows.simulation.ledger.ErrorLedger`."""
    import numpy as np

    streams = Streams(seed)
    uni, expo, draw = streams.uni, streams.expo, streams.draw
    clock = Clock(calendar)
    finish = clock.finish
    always = clock.always
    horizon = months * MINUTES_PER_MONTH
    sample_every = sample_every or calendar.hours_per_day * 60  # each working day's end
    open_horizon = clock.to_open(horizon)

    kind, succ, prob, join_need = plan.kind, plan.succ, plan.prob, plan.join_need
    role_of, wait_of, human_of = plan.role, plan.wait, plan.human
    touch_of, review_rate = plan.touch, plan.review_rate
    recovering, independent, cases = plan.recovering, plan.independent, plan.cases
    independent_rates = [[(cases[n].rate, n) for n in numbers] for numbers in independent]
    ai_trust, review_trust, catch_of, trust = (
        plan.ai_trust,
        plan.review_trust,
        plan.catch,
        plan.trust,
    )
    step_index = plan.step_index
    plain = [
        ai_trust[n] < 0 and review_trust[n] < 0 and not recovering[n] and not independent[n]
        for n in range(len(kind))
    ]
    quick = [
        bool(plain[n] and not human_of[n] and wait_of[n] <= 0 and review_rate[n] >= 1 and succ[n])
        for n in range(len(kind))
    ]
    roles = len(plan.roles)
    speed = [role.speed for role in plan.roles]
    free = [role.servers for role in plan.roles]
    waiting: list[deque[tuple[list[Any], float, int, float]]] = [deque() for _ in range(roles)]
    work_waiting = [0.0] * roles
    busy = [0.0] * roles
    demand = [0.0] * roles
    waits = [array("d") for _ in range(roles)]
    step_times = [array("d") for _ in plan.step_ids]
    occurrences = [0] * len(cases)
    unhandled = [0] * len(cases)
    ledger = ErrorLedger(trust, uni)
    arrival = array("d")
    arrival_calendar = array("d")
    open_tokens: list[int] = []
    or_split: dict[int, int] = {}
    joins: dict[tuple[int, int], tuple[int, float]] = {}
    cycle = array("d")
    cycle_open = array("d")
    heap: list[tuple[float, int, int, Any]] = []
    push, pop = heapq.heappush, heapq.heappop

    tick = itertools.count().__next__
    now = 0.0
    completed = 0
    outside = 0.0
    departure = array("d")

    def later(t: float, what: int, token: Any) -> None:
        push(heap, (t, tick(), what, token))

    def enqueue(r: int, token: list[Any], minutes: float, what: int, t: float) -> None:
        """Give the role work now: start it if someone is free, else queue it."""
        demand[r] += minutes
        if free[r] > 0:
            free[r] -= 1
            done = t + minutes / speed[r]
            busy[r] += (done if done < open_horizon else open_horizon) - t
            waits[r].append(0.0)
            token[5] = r
            push(heap, (done, tick(), what, token))
        else:
            waiting[r].append((token, minutes, what, t))
            work_waiting[r] += minutes

    def release(r: int, t: float) -> None:
        """A person is free: the longest-waiting work of the role starts."""
        queue = waiting[r]
        if queue:
            token, minutes, what, t_in = queue.popleft()
            work_waiting[r] -= minutes
            done = t + minutes / speed[r]
            busy[r] += (done if done < open_horizon else open_horizon) - t
            waits[r].append(t - t_in)
            token[5] = r
            push(heap, (done, tick(), what, token))
        else:
            free[r] += 1

    def end_token(case: int, t: float) -> None:
        """A token reaches an end event at ``t`` (perhaps ahead of the clock: an end touches
        no shared state, so it is not waited for); its case is done with its last token."""
        nonlocal completed
        if t > open_horizon:
            return  # ends after the run: the case is still open at the horizon
        open_tokens[case] -= 1
        if open_tokens[case]:
            return
        completed += 1
        departure.append(t)
        cycle_open.append(t - arrival[case])
        cycle.append((t if always else finish(t)) - arrival_calendar[case])
        if ledger.visits:
            ledger.settle(case)

    def advance(token: list[Any], node: int, t: float) -> None:
        """Route a token from ``node`` at time ``t`` (which may be ahead of the clock: work
        that touches no queue is not waited for, only what touches shared state is). Long on
        purpose: one loop over the node kinds, run for every node a case passes."""
        while True:
            code = kind[node]
            if code == STEP:
                if quick[node]:  # a machine step with nothing to decide: take its time, go on
                    sample = touch_of[node]
                    minutes = sample[1] * expo() if sample[0] == 1 else draw(sample)
                    step_times[step_index[node]].append(minutes)
                    t += minutes
                    node = succ[node][0]
                    continue
                token[1] = node
                token[2] = t
                pause = wait_of[node]
                if pause > 0:
                    push(heap, (t + pause, tick(), READY, token))
                elif human_of[node] and t > now:
                    push(heap, (t, tick(), READY, token))
                else:
                    ready(token, t)
                return
            if code == XOR:
                u = uni()
                bounds = prob[node]
                for number, bound in enumerate(bounds):
                    if u < bound:
                        node = succ[node][number]
                        break
                else:
                    node = succ[node][-1]
                continue
            if code in (PASS, START):
                if not succ[node]:
                    return
                node = succ[node][0]
                continue
            if code == END:
                end_token(token[0], t)
                return
            case = token[0]
            need = join_need[node]
            if need:
                wanted = need if need > 0 else or_split.get(case, 1)
                key = (case, node)
                got, latest = joins.get(key, (0, t))
                latest = max(latest, t)
                if got + 1 < wanted:
                    joins[key] = (got + 1, latest)
                    open_tokens[case] -= 1
                    return
                joins.pop(key, None)
                t = latest
            targets = succ[node]
            if code == OR and len(targets) > 1:
                chosen = [n for n, p in zip(targets, prob[node], strict=True) if uni() < p]
                if not chosen:
                    chosen = [targets[max(range(len(targets)), key=lambda i: prob[node][i])]]
                or_split[case] = len(chosen)
                targets = chosen
            if not targets:
                return
            for target in targets[1:]:
                open_tokens[case] += 1
                advance([case, target, t, [], -1, -1, False], target, t)
            node = targets[0]

    def ready(token: list[Any], t: float) -> None:
        """Start a step's work (a person's at the clock's time; a machine's maybe ahead)."""
        nonlocal outside
        node = token[1]
        rate = review_rate[node]
        if rate < 1.0:
            token[6] = uni() < rate
            if not token[6]:
                after_work(token, t)
                return
        else:
            token[6] = True
        sample = touch_of[node]
        minutes = sample[1] * expo() if sample[0] == 1 else draw(sample)
        r = role_of[node]
        if r >= 0:
            enqueue(r, token, minutes, DONE, t)
        elif human_of[node]:
            outside += minutes  # a person's step in a role nobody holds
            after_work(token, t)
        else:
            after_work(token, t + minutes)

    def after_work(token: list[Any], t: float) -> None:
        node = token[1]
        if plain[node]:  # no edge cases, no error accounting: straight on
            step_times[step_index[node]].append(t - token[2])
            ways = succ[node]
            if ways:
                advance(token, ways[0], t)
            return
        case = token[0]
        if ai_trust[node] >= 0:
            ledger.produced(case, ai_trust[node])
        if review_trust[node] >= 0 and token[6]:
            ledger.reviewed(case, review_trust[node], catch_of[node])
        jobs: list[int] = []
        following = succ[node][0] if succ[node] else -1
        diverting = recovering[node]
        if diverting:
            u = uni()
            for bound, number in diverting:
                if u < bound:
                    happens(number, jobs)
                    following = cases[number].recovery
                    break
        for rate, number in independent_rates[node]:
            if uni() < rate:
                happens(number, jobs)
        if jobs:
            token[3] = jobs
            token[4] = following
            next_job(token, t)
        else:
            step_times[step_index[node]].append(t - token[2])
            if following >= 0:
                advance(token, following, t)

    def happens(number: int, jobs: list[int]) -> None:
        nonlocal outside
        occurrences[number] += 1
        case = cases[number]
        if case.unhandled:
            unhandled[number] += 1
            outside += case.handling_mean
        elif case.handling_mean > 0:
            jobs.append(number)

    def next_job(token: list[Any], t: float) -> None:
        """The next edge-case handling of a step, or on to the next node when none is left."""
        nonlocal outside
        jobs = token[3]
        if jobs:
            case = cases[jobs[0]]
            if case.owner_queue >= 0 and t > now:
                later(t, RESUME, token)  # queue for it when the clock gets there
                return
            jobs.pop(0)
            minutes = draw(case.handling)
            if case.owner_queue >= 0:
                enqueue(case.owner_queue, token, minutes, JOB, t)
            else:
                outside += minutes  # an AI or system owner: no queue
                next_job(token, t + minutes)
            return
        node = token[1]
        step_times[step_index[node]].append(t - token[2])
        if token[4] >= 0:
            advance(token, token[4], t)

    open_rate = volume_per_month / (calendar.open_hours_per_month * 60)
    even = profile is None and open_rate > 0
    next_arrival = arrival_times(calendar, profile, volume_per_month, horizon, streams)

    starts = plan.starts
    single = starts[0] if len(starts) == 1 else -1
    first_calendar, first = next_arrival(0.0, 0.0)
    if first <= open_horizon:
        later(first, ARRIVE, first_calendar)
    sample_times: list[float] = []
    backlog_count: list[list[int]] = []
    backlog_work: list[list[float]] = []
    wip_at: list[float] = []
    later(sample_every, SAMPLE, None)
    while heap:
        t, _, what, token = pop(heap)
        if t > open_horizon:
            break
        now = t
        if what == DONE:
            r = token[5]
            if r >= 0:
                release(r, t)
                token[5] = -1
            after_work(token, t)
        elif what == READY:
            ready(token, t)
        elif what == JOB:
            r = token[5]
            if r >= 0:
                release(r, t)
                token[5] = -1
            next_job(token, t)
        elif what == RESUME:
            next_job(token, t)
        elif what == ARRIVE:
            case = len(arrival)
            arrival.append(t)
            arrival_calendar.append(token)
            open_tokens.append(1)
            start = single if single >= 0 else starts[int(uni() * len(starts))]
            advance([case, start, t, [], -1, -1, False], start, t)
            if even:  # evenly over open hours: the common case, inline
                following = t + expo() / open_rate
                at = following if always else clock.at_open(following)
            else:
                at, following = next_arrival(t, token)
            if following <= open_horizon:
                push(heap, (following, tick(), ARRIVE, at))
        else:
            sample_times.append(finish(t))
            backlog_count.append([len(queue) for queue in waiting])
            backlog_work.append(list(work_waiting))
            wip_at.append(t)
            later(t + sample_every, SAMPLE, None)
    wip_samples, area = work_in_progress(arrival, departure, wip_at, open_horizon)
    open_ages = [horizon - arrival_calendar[c] for c, left in enumerate(open_tokens) if left > 0]
    return Raw(
        horizon=horizon,
        open_minutes=open_horizon,
        arrivals=len(arrival),
        completed=completed,
        cycle=numbers(cycle),
        cycle_open=numbers(cycle_open),
        open_ages=np.asarray(open_ages, dtype=np.float64),
        step_times=[numbers(times) for times in step_times],
        role_waits=[numbers(values) for values in waits],
        role_busy=busy,
        role_demand=demand,
        role_waiting_at_end=[len(queue) for queue in waiting],
        sample_times=np.asarray(sample_times, dtype=np.float64),
        backlog_count=np.asarray(backlog_count, dtype=np.float64).reshape(-1, roles),
        backlog_work=np.asarray(backlog_work, dtype=np.float64).reshape(-1, roles),
        wip=wip_samples,
        wip_area=area,
        human_minutes=sum(demand) + outside,
        case_occurrences=occurrences,
        case_unhandled=unhandled,
        errors=ledger.errors,
        caught=ledger.caught,
        escaped=ledger.escaped,
        escaped_by_mode=ledger.by_mode,
        events=tick(),
    )
