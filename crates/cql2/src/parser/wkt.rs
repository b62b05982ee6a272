//! Geometry literals in CQL2 text: WKT `POINT`, `POLYGON`, `MULTIPOLYGON` (2D, or 3D read as
//! 2D) and `BBOX(…)`.

use super::{ParseError, Parser};
use crate::geometry::Geometry;
use crate::lexer::Tok;

impl Parser {
    fn number(&mut self) -> Result<f64, ParseError> {
        match self.peek().clone() {
            Tok::Number(n) => {
                self.next();
                Ok(n)
            }
            _ => Err(self.err(&format!("expected a number, found {}", self.describe()))),
        }
    }

    fn position(&mut self) -> Result<[f64; 2], ParseError> {
        let x = self.number()?;
        let y = self.number()?;
        // A third (z) coordinate is accepted and ignored.
        if matches!(self.peek(), Tok::Number(_)) {
            self.next();
        }
        Ok([x, y])
    }

    fn ring(&mut self) -> Result<Vec<[f64; 2]>, ParseError> {
        self.expect(Tok::LParen, "'(' opening a ring")?;
        let mut pts = vec![self.position()?];
        while self.peek() == &Tok::Comma {
            self.next();
            pts.push(self.position()?);
        }
        self.expect(Tok::RParen, "')' closing a ring")?;
        if pts.len() < 4 || pts.first() != pts.last() {
            return Err(
                self.err("a polygon ring needs at least 4 positions, the last equal to the first")
            );
        }
        Ok(pts)
    }

    fn polygon(&mut self) -> Result<Vec<Vec<[f64; 2]>>, ParseError> {
        self.expect(Tok::LParen, "'(' opening a polygon")?;
        let mut rings = vec![self.ring()?];
        while self.peek() == &Tok::Comma {
            self.next();
            rings.push(self.ring()?);
        }
        self.expect(Tok::RParen, "')' closing a polygon")?;
        Ok(rings)
    }

    pub(super) fn geometry(&mut self, kw: &str) -> Result<Geometry, ParseError> {
        match kw {
            "POINT" => {
                self.expect(Tok::LParen, "'(' after POINT")?;
                let p = self.position()?;
                self.expect(Tok::RParen, "')' closing POINT")?;
                Ok(Geometry::Point(p))
            }
            "POLYGON" => Ok(Geometry::Polygon(self.polygon()?)),
            "MULTIPOLYGON" => {
                self.expect(Tok::LParen, "'(' after MULTIPOLYGON")?;
                let mut polys = vec![self.polygon()?];
                while self.peek() == &Tok::Comma {
                    self.next();
                    polys.push(self.polygon()?);
                }
                self.expect(Tok::RParen, "')' closing MULTIPOLYGON")?;
                Ok(Geometry::MultiPolygon(polys))
            }
            _ => {
                self.expect(Tok::LParen, "'(' after BBOX")?;
                let mut v = vec![self.number()?];
                while self.peek() == &Tok::Comma {
                    self.next();
                    v.push(self.number()?);
                }
                self.expect(Tok::RParen, "')' closing BBOX")?;
                let b = match v.len() {
                    4 => [v[0], v[1], v[2], v[3]],
                    6 => [v[0], v[1], v[3], v[4]],
                    _ => return Err(self.err("BBOX takes 4 (or 6) numbers")),
                };
                if b[0] > b[2] || b[1] > b[3] {
                    return Err(self.err("BBOX minimum exceeds maximum"));
                }
                Ok(Geometry::Envelope(b))
            }
        }
    }
}
