"""The layout optimiser: positions and scales found by constraint optimisation over the relations.

Variables per item: centre x, bottom y and a scale s (height = base size x depth x s). The
penalty sums, normalised by the frame height:
- each relation's hinge terms (geometry.terms; a negated relation is penalised while its
  predicate holds), plus a step so that "almost" is still worse than "holds";
- sizes that make a relation read well (geometry.harmony: a support wider than what
  sits on it...), softly;
- the placement zone (sky, ground, water...) unless a relation places the item; clear of the
  painted sun or moon;
- staying in frame (heavy), hero overlap with anything it is not related to (heavy),
  other overlaps (light), scale away from 1, the hero drifting off centre, copies straying.
Search: seeded greedy construction (zone samples + relation proposals), then coordinate
descent sweeps with shrinking steps; seeded restarts while a hard constraint fails. The cost is
evaluated incrementally (only the terms of the moved item), so a scene takes a few ms.
"""
from __future__ import annotations

import math
import random
from typing import Optional

from ...records import Relation
from .geometry import ON_BAND, SEATED, TOUCHING, harmony, overlap_area, seat, terms, visible
from .select import Geo, Item, bottom_range, depth_factor

W_REL, W_HERO, W_FRAME, W_ZONE, W_OVERLAP, W_SCALE, W_CENTRE, W_COPY, W_HARMONY = (
    10.0, 20.0, 30.0, 3.0, 1.5, 0.3, 0.5, 1.0, 2.0)
STEP = 0.3  # added once per violated relation / hero overlap / frame exit
SLACK = 3.0  # px: relations must hold by this margin so rounding cannot break them
HERO_MARGIN = 3.0  # px kept clear around the hero
SWEEPS = 14
RESTARTS = 3
# a subject's copies are where it is, too: in the pond, under the tree, on the fence (spread
# along it: geometry "along", so that three snowflakes on a sled leave room for the girl)
SHARED = {"on": "along", "in": "in", "below": "below"}
CREATURES = ("animal", "character")  # (snowflakes "on the sled" are weather, not a flock)
INVERSE = {"above": "below", "below": "above", "on": "support", "along": "support",
           "in": "contain", "near": "near",
           "behind": "in_front_of", "in_front_of": "behind", "left_of": "right_of",
           "right_of": "left_of", "between": "near", "riding_on": "support",
           "worn_by": "near", "held_by": "near"}  # worn/held things are placed by attire.py


class Problem:
    def __init__(self, items: list[Item], relations: tuple[Relation, ...], geo: Geo) -> None:
        self.items, self.geo, self.n = items, geo, len(items)
        index = {it.key: i for i, it in enumerate(items)}
        self.rels: list[tuple[str, int, int, Optional[int], bool]] = []
        for r in relations:
            a, b = index.get(r.subject), index.get(r.object)
            if a is None or b is None or a == b:
                continue
            c = None
            if r.predicate == "between":
                c = next((index.get(o.object) for o in relations if o.predicate == "between"
                          and o.subject == r.subject and o.object != r.object
                          and o.negated == r.negated and o.object in index), None)
            self.rels.append((r.predicate, a, b, c, r.negated))
            if r.predicate in SHARED and not r.negated:  # "two crows sat on the fence": both
                self.rels += [(SHARED[r.predicate], j, b, None, False) for j, it in enumerate(items)
                              if it.entity.id == r.subject and it.copy > 0 and it.obj.category
                              in CREATURES]
        self.by_item: list[list[int]] = [[] for _ in items]
        for k, (_, a, b, c, _) in enumerate(self.rels):
            for i in {a, b, c} - {None}:
                self.by_item[i].append(k)
        self.exempt = {(a, b) for p, a, b, _, neg in self.rels if p in TOUCHING and not neg}
        self.exempt |= {(b, a) for a, b in self.exempt}
        self.hero = next((i for i, it in enumerate(items) if it.hero), None)
        self.primary = [next(j for j, o in enumerate(items) if o.entity.id == it.entity.id)
                        for it in items]
        self.landmark = [any(b == i and p in TOUCHING for p, _, b, _, _ in self.rels)
                         for i in range(self.n)]
        self.cx = [0.0] * self.n
        self.bot = [0.0] * self.n
        self.s = [1.0] * self.n
        self.box: list[tuple[float, float, float, float]] = [(0.0, 0.0, 1.0, 1.0)] * self.n
        self.vis = list(self.box)  # the drawn part of each box: what relations are judged on
        self.surface = [it.obj.surface for it in items]  # where "on" rests, if not the top
        # standing on the ground: what is "under" it is at its foot (geometry.terms)
        self.grounded = [it.zone in ("ground", "floor", "backdrop") and not it.supported for it in items]
        self.placed = [False] * self.n

    # ------------------------------------------------------------ state and cost

    def make_box(self, i: int, cx: float, bot: float, s: float):
        it = self.items[i]
        h = it.base * depth_factor(it, bot, self.geo) * s
        return (cx - h / 2, bot - h, h, h)

    def set(self, i: int, cx: float, bot: float, s: float) -> None:
        self.cx[i], self.bot[i], self.s[i] = cx, bot, s
        self.box[i] = self.make_box(i, cx, bot, s)
        self.vis[i] = visible(self.box[i], self.items[i].content)

    def target(self, pred: str, i: int):
        """What a relation with item i as its object is judged against: its seat for "on"."""
        return seat(self.vis[i], self.surface[i]) if pred in SEATED else self.vis[i]

    def rel_cost(self, k: int) -> float:
        pred, a, b, c, negated = self.rels[k]
        if not (self.placed[a] and self.placed[b]) or (c is not None and not self.placed[c]):
            return 0.0
        g = terms(pred, self.vis[a], self.target(pred, b), self.geo.W, self.geo.H,
                  self.vis[c] if c is not None else None, self.grounded[a if pred == "above" else b])
        if negated:
            v = max(0.0, SLACK - max(g))
            return W_REL * (v / self.geo.H + (STEP if v > 0 else 0.0))
        v = sum(max(0.0, t + SLACK) for t in g)
        soft = W_HARMONY * harmony(pred, self.vis[a], self.vis[b]) / self.geo.H
        return W_REL * (v / self.geo.H + (STEP if v > 0 else 0.0)) + soft

    def unary(self, i: int) -> float:
        it, (x, y, w, h) = self.items[i], self.box[i]
        W, H = self.geo.W, self.geo.H
        cost = 0.0
        if not it.supported:
            lo, hi = bottom_range(it.zone, h, self.geo)
            cost += W_ZONE * max(0.0, lo - self.bot[i], self.bot[i] - hi) / H
        out = max(0.0, -x) + max(0.0, -y) + max(0.0, x + w - W) + max(0.0, y + h - H)
        cost += W_FRAME * (out / H + (STEP if out > 0.5 else 0.0))
        cost += W_SCALE * abs(math.log(self.s[i])) * (0.3 if self.landmark[i] else 1.0)
        if it.hero:
            cost += W_CENTRE * max(0.0, abs(self.cx[i] - W / 2) - 0.18 * W) / W
        v = self.vis[i]
        for k in self.geo.keepout:
            cost += W_OVERLAP * overlap_area(v, k) / (v[2] * v[3] or 1.0)
        return cost

    def pair(self, i: int, j: int) -> float:
        a, b = self.vis[i], self.vis[j]
        if self.items[i].entity.id == self.items[j].entity.id:  # copies: a loose flock
            d = math.hypot(a[0] - b[0], a[1] - b[1])
            return W_COPY * max(0.0, d - 0.28 * self.geo.W) / self.geo.W + \
                0.5 * W_OVERLAP * overlap_area(a, b) / (min(a[2] * a[3], b[2] * b[3]) or 1.0)
        if (i, j) in self.exempt:
            return 0.0
        if self.hero in (i, j):
            m = HERO_MARGIN
            hb = a if i == self.hero else b
            ob = b if i == self.hero else a
            ov = overlap_area((hb[0] - m, hb[1] - m, hb[2] + 2 * m, hb[3] + 2 * m), ob)
            return W_HERO * (ov / (ob[2] * ob[3] or 1.0) + (STEP if ov > 0 else 0.0))
        ov = overlap_area(a, b)
        return W_OVERLAP * ov / (min(a[2] * a[3], b[2] * b[3]) or 1.0)

    def local(self, i: int) -> float:
        cost = self.unary(i)
        for j in range(self.n):
            if j != i and self.placed[j]:
                cost += self.pair(i, j)
        for k in self.by_item[i]:
            cost += self.rel_cost(k)
        return cost

    def total(self) -> float:
        cost = sum(self.unary(i) for i in range(self.n) if self.placed[i])
        cost += sum(self.pair(i, j) for i in range(self.n) for j in range(i + 1, self.n)
                    if self.placed[i] and self.placed[j])
        return cost + sum(self.rel_cost(k) for k in range(len(self.rels)))

    def hard_violations(self) -> int:
        """Relations not holding (z order aside), hero overlaps, frame exits."""
        bad = sum(1 for k in range(len(self.rels)) if self.rel_cost(k) >= W_REL * STEP)
        W, H = self.geo.W, self.geo.H
        for i in range(self.n):
            x, y, w, h = self.box[i]
            bad += x < 0 or y < 0 or x + w > W or y + h > H
            if self.hero is not None and i != self.hero and (i, self.hero) not in self.exempt:
                bad += overlap_area(self.vis[i], self.vis[self.hero]) > 0
        return bad

    # ------------------------------------------------------------ candidates

    def zone_sample(self, i: int, rng: random.Random) -> tuple[float, float, float]:
        it = self.items[i]
        h = it.base
        lo, hi = bottom_range(it.zone, h, self.geo)
        return rng.uniform(h / 2, max(h / 2, self.geo.W - h / 2)), rng.uniform(lo, hi), 1.0

    def proposals(self, i: int, rng: random.Random, per: int = 2):
        """Positions that would make each relation of item i hold, given its partners."""
        out = []
        for k in self.by_item[i]:
            pred, a, b, c, negated = self.rels[k]
            if negated:
                continue
            if a == i and self.placed[b]:
                third = self.vis[c] if c is not None and self.placed[c] else None
                for _ in range(per):
                    out.append(self.propose(i, pred, self.target(pred, b), rng, third))
            elif i in (b, c) and self.placed[a]:
                for _ in range(per):
                    out.append(self.propose(i, INVERSE[pred], self.vis[a], rng))
        return out

    def propose(self, i: int, pred: str, other, rng: random.Random, third=None):
        W, H = self.geo.W, self.geo.H
        ox, oy, ow, oh = other
        ocx, obot = ox + ow / 2, oy + oh
        h = self.box[i][3] if self.placed[i] else self.items[i].base
        u, side = rng.uniform, rng.choice((-1, 1))
        shelter = rng.random() < 0.5  # above/below: the sheltering reading, half of the time
        if pred == "above" and shelter:  # a canopy over `other`, standing on the same ground
            h = max(h, 1.3 * ow, 1.5 * oh)
            cx, bot = ocx + u(-0.1, 0.1) * h, obot + u(-0.03, 0.03) * H
        elif pred == "above":
            cx, bot = ocx + u(-0.25, 0.25) * ow, oy + u(-0.25 * H, 0.1 * oh)
        elif pred == "below" and shelter:  # under the canopy of `other`
            h = min(h, 0.7 * ow)
            cx, bot = ocx + u(-0.15, 0.15) * ow, obot + u(-0.03, 0.03) * H
        elif pred == "below":
            cx, bot = ocx + u(-0.25, 0.25) * ow, obot + u(-0.1 * h, 0.1 * H) + h
        elif pred in ("on", "riding_on", "along"):
            cx = ocx + u(-0.2, 0.2) * ow if pred != "along" else ocx + u(-0.4, 0.4) * ow
            bot = oy + u(0.12, 0.35) * oh
        elif pred == "support":  # the item holds `other` on its top part (or its seat)
            h = max(h, 0.9 * ow)
            cx, t = ocx + u(-0.2, 0.2) * h, u(ON_BAND[0], 0.35)  # t: how far down the support
            if self.surface[i] is not None:  # ... or down its seat (geometry.seat),
                top, low = self.surface[i]  # wide enough to seat `other` (harmony: 1.5 x)
                t = top + (low - top) * (t - ON_BAND[0]) / (ON_BAND[1] - ON_BAND[0])
                h = max(h, 1.6 * ow / max(0.3, 1 - 2 * self.items[i].content[0]))
            bot = obot - t * h + h
        elif pred == "in":
            h = min(h, 0.6 * oh)
            cx, bot = ocx + u(-0.1, 0.1) * ow, oy + oh / 2 + u(-0.1, 0.1) * oh + h / 2
        elif pred == "contain":
            h = max(h, oh / 0.6)
            cx, bot = ocx + u(-0.1, 0.1) * h, oy + oh / 2 + u(-0.1, 0.1) * h + h / 2
        elif pred == "behind":
            cx, bot = ocx + side * u(0.05, 0.35) * ow, obot - u(0.03, 0.12) * H
        elif pred == "in_front_of":
            cx, bot = ocx + side * u(0.0, 0.3) * ow, obot + u(0.03, 0.1) * H
        elif pred == "left_of":
            cx, bot = ox - u(0.02, 0.2) * W - h / 2, obot + u(-0.05, 0.05) * H
        elif pred == "right_of":
            cx, bot = ox + ow + u(0.02, 0.2) * W + h / 2, obot + u(-0.05, 0.05) * H
        elif pred == "between" and third is not None:
            cx = (ocx + third[0] + third[2] / 2) / 2 + u(-0.03, 0.03) * W
            bot = (obot + third[1] + third[3]) / 2 + u(-0.03, 0.03) * H
        else:  # near: beside it, a little gap
            cx = ocx + side * (ow / 2 + u(0.0, 0.05) * W + h / 2)
            bot = obot + u(-0.08, 0.05) * H
        # `bot` is where the drawing should end; the sprite box extends below it by its padding
        return self.fit(i, cx, bot + (1 - self.items[i].content[2]) * h, h)

    def fit(self, i: int, cx: float, bot: float, h: float):
        """(cx, bottom, s) for a wanted height h, scale clamped, pulled inside the frame."""
        it = self.items[i]
        s = min(it.smax, max(it.smin, h / (it.base * depth_factor(it, bot, self.geo))))
        h = it.base * depth_factor(it, bot, self.geo) * s
        W, H = self.geo.W, self.geo.H
        return (min(max(cx, h / 2), W - h / 2) if h < W else W / 2,
                min(max(bot, h), H) if h < H else H, s)

    def try_moves(self, i: int, candidates) -> bool:
        """Move item i to the best candidate if that lowers the cost; True if it moved."""
        old = (self.cx[i], self.bot[i], self.s[i])
        best, best_cost = None, self.local(i) if self.placed[i] else math.inf
        was_placed = self.placed[i]
        self.placed[i] = True
        for cand in candidates:
            self.set(i, *cand)
            cost = self.local(i)
            if cost < best_cost - 1e-9:
                best, best_cost = cand, cost
        self.set(i, *(best or old))
        self.placed[i] = was_placed or best is not None
        return best is not None


def order(p: Problem) -> list[int]:
    """Hero first, then items related to placed ones, then landmarks, then the rest."""
    done: list[int] = [p.hero] if p.hero is not None else []
    todo = [i for i in range(p.n) if i not in done]
    while todo:
        linked = [i for i in todo if any(j in done for k in p.by_item[i]
                                         for j in p.rels[k][1:4] if j is not None)]
        pick = linked[0] if linked else next((i for i in todo if p.landmark[i]), todo[0])
        todo.remove(pick)
        done.append(pick)
    return done


def construct(p: Problem, rng: random.Random) -> None:
    p.placed = [False] * p.n
    for i in order(p):
        cands = [p.zone_sample(i, rng) for _ in range(20)] + p.proposals(i, rng, per=4)
        if p.items[i].hero:
            lo, hi = bottom_range(p.items[i].zone, p.items[i].base, p.geo)
            cands.append((p.geo.W / 2 + rng.uniform(-0.06, 0.06) * p.geo.W, hi, 1.0))
        p.try_moves(i, cands)


def refine(p: Problem, rng: random.Random) -> None:
    W, H = p.geo.W, p.geo.H
    for sweep in range(SWEEPS):
        sigma = 0.12 * (0.75 ** sweep)
        moved = False
        for i in range(p.n):
            cx, bot, s = p.cx[i], p.bot[i], p.s[i]
            cands = [(cx + rng.gauss(0, sigma) * W, bot + rng.gauss(0, sigma) * H,
                      min(p.items[i].smax, max(p.items[i].smin, s * math.exp(rng.gauss(0, 0.15)))))
                     for _ in range(6)]
            cands += p.proposals(i, rng, per=2) + [p.zone_sample(i, rng)]
            moved |= p.try_moves(i, cands)
        if not moved and sweep > 4 and p.hard_violations() == 0:
            break


def solve(items: list[Item], relations: tuple[Relation, ...], geo: Geo,
          seed: int) -> tuple[list[tuple[float, float, float, float]], dict]:
    """Boxes for the items (same order), and stats: cost, hard violations, restarts used."""
    p = Problem(items, relations, geo)
    rng = random.Random(seed)
    best = None
    for attempt in range(RESTARTS):
        construct(p, rng)
        refine(p, rng)
        score = (p.hard_violations(), p.total())
        if best is None or score < best[0]:
            best = (score, list(p.box), attempt)
        if score[0] == 0:
            break
    (hard, cost), boxes, attempt = best
    return boxes, {"hard_violations": hard, "cost": round(cost, 4), "restarts": attempt}
