//! Is a ring simple? A boundary ring that crosses or touches itself (a "bowtie") has no
//! well-defined inside, so point-in-comune answers would depend on the algorithm.
//!
//! The `geo` version in the lock file (0.29) has no validity check, so this is a plain
//! segment-intersection test with exact orientation predicates (`geo`'s robust kernel):
//! segments sorted along the longer axis, each compared with those whose extent overlaps
//! it — near-linear for real boundaries, which cross any line a few times only.

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::Coord;

/// The first place where the closed ring `coords` (first position repeated last) crosses or
/// touches itself: the two segment indices, lowest first.
pub fn self_intersection(coords: &[Coord<f64>]) -> Option<(usize, usize)> {
    // Repeated consecutive positions are zero-length segments: harmless, skip them.
    let mut pts: Vec<(usize, Coord<f64>)> = Vec::with_capacity(coords.len());
    for (i, c) in coords.iter().enumerate() {
        if pts.last().is_none_or(|(_, p)| p != c) {
            pts.push((i, *c));
        }
    }
    let segs: Vec<(usize, Coord<f64>, Coord<f64>)> =
        pts.windows(2).map(|w| (w[0].0, w[0].1, w[1].1)).collect();
    let n = segs.len();
    if n < 3 {
        return None;
    }
    let (min, max) = segs.iter().fold(
        (
            Coord {
                x: f64::MAX,
                y: f64::MAX,
            },
            Coord {
                x: f64::MIN,
                y: f64::MIN,
            },
        ),
        |(lo, hi), (_, a, _)| {
            (
                Coord {
                    x: lo.x.min(a.x),
                    y: lo.y.min(a.y),
                },
                Coord {
                    x: hi.x.max(a.x),
                    y: hi.y.max(a.y),
                },
            )
        },
    );
    let along_x = max.x - min.x >= max.y - min.y;
    let key = |c: Coord<f64>| if along_x { c.x } else { c.y };
    let range = |k: usize| {
        let (_, a, b) = segs[k];
        (key(a).min(key(b)), key(a).max(key(b)))
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| range(a).0.total_cmp(&range(b).0));
    let mut found: Option<(usize, usize)> = None;
    for (pos, &i) in order.iter().enumerate() {
        let hi = range(i).1;
        for &j in &order[pos + 1..] {
            if range(j).0 > hi {
                break;
            }
            let (a, b) = (i.min(j), i.max(j));
            let adjacent = b == a + 1 || (a == 0 && b == n - 1);
            let bad = if adjacent {
                folds_back(&segs, a, b)
            } else {
                touch(segs[a].1, segs[a].2, segs[b].1, segs[b].2)
            };
            if bad {
                let pair = (segs[a].0, segs[b].0);
                found = Some(found.map_or(pair, |f| f.min(pair)));
            }
        }
    }
    found
}

fn orient(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>) -> Orientation {
    RobustKernel::orient2d(p, q, r)
}

/// `c` lies within the bounding box of `a`–`b` (with `c` known to be collinear with them).
fn on_segment(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> bool {
    c.x >= a.x.min(b.x) && c.x <= a.x.max(b.x) && c.y >= a.y.min(b.y) && c.y <= a.y.max(b.y)
}

/// Closed segments `a`–`b` and `c`–`d` share at least one point.
fn touch(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> bool {
    use Orientation::Collinear;
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    let opposite = |x: Orientation, y: Orientation| x != Collinear && y != Collinear && x != y;
    (opposite(o1, o2) && opposite(o3, o4))
        || (o1 == Collinear && on_segment(a, b, c))
        || (o2 == Collinear && on_segment(a, b, d))
        || (o3 == Collinear && on_segment(c, d, a))
        || (o4 == Collinear && on_segment(c, d, b))
}

/// Two consecutive segments that overlap along a line (a spike going back on itself).
fn folds_back(segs: &[(usize, Coord<f64>, Coord<f64>)], a: usize, b: usize) -> bool {
    let (first, second) = if b == a + 1 { (a, b) } else { (b, a) };
    let (_, p, q) = segs[first];
    let (_, _, r) = segs[second];
    orient(p, q, r) == Orientation::Collinear && (on_segment(p, q, r) || on_segment(q, r, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn a_square_is_simple_and_a_bowtie_is_not() {
        let square = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]);
        assert_eq!(self_intersection(&square), None);
        let bowtie = ring(&[(0., 0.), (1., 1.), (1., 0.), (0., 1.), (0., 0.)]);
        assert_eq!(self_intersection(&bowtie), Some((0, 2)));
    }

    #[test]
    fn touching_at_a_vertex_and_spikes_are_refused_repeats_are_not() {
        // A figure eight through (1, 1).
        let eight = ring(&[
            (0., 0.),
            (1., 1.),
            (2., 0.),
            (2., 2.),
            (1., 1.),
            (0., 2.),
            (0., 0.),
        ]);
        assert!(self_intersection(&eight).is_some());
        let spike = ring(&[(0., 0.), (2., 0.), (3., 0.), (1., 0.), (1., 1.), (0., 0.)]);
        assert!(self_intersection(&spike).is_some());
        let repeats = ring(&[(0., 0.), (1., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]);
        assert_eq!(self_intersection(&repeats), None);
    }
}
