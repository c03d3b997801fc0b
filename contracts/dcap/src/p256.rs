//! ECDSA P-256 (secp256r1) signature verification over SHA-256 digests.
//!
//! Only public data is handled (certificates, signatures, quotes), so the code favours clarity
//! and wasm instruction count over constant time: 8×32-bit limbs (wasm has native 64-bit
//! multiply, so 32×32→64 products are single instructions), Montgomery multiplication for both
//! the field (mod p) and the scalar ring (mod n), Jacobian coordinates (no inversion per step)
//! and Shamir's trick for u1·G + u2·Q. Curve constants are from SEC 2 / FIPS 186-4.

type Limbs = [u32; 8];

fn from_be(bytes: &[u8; 32]) -> Limbs {
    let mut l = [0u32; 8];
    for i in 0..8 {
        let o = 28 - 4 * i;
        l[i] = u32::from_be_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
    }
    l
}

#[cfg(test)]
fn to_be(l: &Limbs) -> [u8; 32] {
    let mut out = [0u8; 32];
    for i in 0..8 {
        let o = 28 - 4 * i;
        out[o..o + 4].copy_from_slice(&l[i].to_be_bytes());
    }
    out
}

const fn hex_limbs(h: &[u8; 64]) -> Limbs {
    // Big-endian hex to little-endian limbs, at compile time.
    let mut l = [0u32; 8];
    let mut i = 0;
    while i < 64 {
        let c = h[i];
        let v = if c >= b'a' { c - b'a' + 10 } else if c >= b'A' { c - b'A' + 10 } else { c - b'0' } as u32;
        let nib = 63 - i; // nibble index from the least significant end
        l[nib / 8] |= v << ((nib % 8) * 4);
        i += 1;
    }
    l
}

const P: Limbs = hex_limbs(b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const N: Limbs = hex_limbs(b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const B: Limbs = hex_limbs(b"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
const GX: Limbs = hex_limbs(b"6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
const GY: Limbs = hex_limbs(b"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");

fn geq(a: &Limbs, b: &Limbs) -> bool {
    for i in (0..8).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

fn is_zero(a: &Limbs) -> bool {
    a.iter().all(|x| *x == 0)
}

/// a - b, returning the borrow.
fn sub_raw(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut r = [0u32; 8];
    let mut borrow = 0i64;
    for i in 0..8 {
        let d = a[i] as i64 - b[i] as i64 - borrow;
        r[i] = d as u32;
        borrow = if d < 0 { 1 } else { 0 };
    }
    (r, borrow != 0)
}

/// a + b, returning the carry.
fn add_raw(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut r = [0u32; 8];
    let mut carry = 0u64;
    for i in 0..8 {
        let s = a[i] as u64 + b[i] as u64 + carry;
        r[i] = s as u32;
        carry = s >> 32;
    }
    (r, carry != 0)
}

/// Arithmetic modulo an odd 256-bit modulus in Montgomery form (R = 2^256).
struct Mont {
    m: Limbs,
    m0inv: u32, // -m^-1 mod 2^32
    r2: Limbs,  // R^2 mod m, to enter the Montgomery domain
    one: Limbs, // R mod m, i.e. 1 in Montgomery form
}

impl Mont {
    fn new(m: Limbs) -> Mont {
        let mut inv: u32 = 1;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m[0].wrapping_mul(inv)));
        }
        let mut me = Mont { m, m0inv: inv.wrapping_neg(), r2: [0; 8], one: [0; 8] };
        // R mod m and R^2 mod m by doubling 1: 256 doublings give R, 256 more give R^2.
        let mut x = [0u32; 8];
        x[0] = 1;
        for i in 0..512 {
            x = me.add(&x, &x);
            if i == 255 {
                me.one = x;
            }
        }
        me.r2 = x;
        me
    }

    fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (s, carry) = add_raw(a, b);
        if carry || geq(&s, &self.m) {
            sub_raw(&s, &self.m).0
        } else {
            s
        }
    }

    /// Montgomery product a·b·R^-1 mod m (CIOS).
    fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut t = [0u32; 10];
        for i in 0..8 {
            let mut c = 0u64;
            let bi = b[i] as u64;
            for j in 0..8 {
                let s = t[j] as u64 + a[j] as u64 * bi + c;
                t[j] = s as u32;
                c = s >> 32;
            }
            let s = t[8] as u64 + c;
            t[8] = s as u32;
            t[9] = (s >> 32) as u32;
            let q = t[0].wrapping_mul(self.m0inv) as u64;
            let s = t[0] as u64 + q * self.m[0] as u64;
            let mut c = s >> 32;
            for j in 1..8 {
                let s = t[j] as u64 + q * self.m[j] as u64 + c;
                t[j - 1] = s as u32;
                c = s >> 32;
            }
            let s = t[8] as u64 + c;
            t[7] = s as u32;
            t[8] = t[9] + (s >> 32) as u32;
            t[9] = 0;
        }
        let mut r = [0u32; 8];
        r.copy_from_slice(&t[..8]);
        if t[8] != 0 || geq(&r, &self.m) {
            r = sub_raw(&r, &self.m).0;
        }
        r
    }

    fn sqr(&self, a: &Limbs) -> Limbs {
        self.mul(a, a)
    }

    fn to_mont(&self, a: &Limbs) -> Limbs {
        self.mul(a, &self.r2)
    }

    fn from_mont(&self, a: &Limbs) -> Limbs {
        let mut one = [0u32; 8];
        one[0] = 1;
        self.mul(a, &one)
    }

    /// a^(m-2): the inverse for prime m (Fermat), in Montgomery form.
    fn inv(&self, a: &Limbs) -> Limbs {
        let mut e = self.m;
        e[0] -= 2; // m is odd and > 2, so no borrow
        let mut r = self.one;
        for i in (0..256).rev() {
            r = self.sqr(&r);
            if (e[i / 32] >> (i % 32)) & 1 == 1 {
                r = self.mul(&r, a);
            }
        }
        r
    }
}

/// Arithmetic modulo p = 2^256 − 2^224 + 2^192 + 2^96 − 1 in plain (non-Montgomery) form,
/// with the fast reduction of FIPS 186-4 D.2.3 (NIST "Solinas" reduction): a 512-bit product
/// folds back by adding and subtracting word-permutations of its upper half, which costs a few
/// dozen additions instead of Montgomery's second 8×8 multiplication. The interface mirrors
/// `Mont` (to_mont/from_mont are identities) so the curve code reads the same.
struct FieldP {
    one: Limbs,
}

impl FieldP {
    fn new() -> FieldP {
        let mut one = [0u32; 8];
        one[0] = 1;
        FieldP { one }
    }

    fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (s, carry) = add_raw(a, b);
        if carry || geq(&s, &P) {
            sub_raw(&s, &P).0
        } else {
            s
        }
    }

    fn sub(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (d, borrow) = sub_raw(a, b);
        if borrow {
            add_raw(&d, &P).0
        } else {
            d
        }
    }

    fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        // Schoolbook 256×256 → 512 bits in 16 words.
        let mut c = [0u32; 16];
        for i in 0..8 {
            let mut carry = 0u64;
            let ai = a[i] as u64;
            for j in 0..8 {
                let t = c[i + j] as u64 + ai * b[j] as u64 + carry;
                c[i + j] = t as u32;
                carry = t >> 32;
            }
            c[i + 8] = carry as u32;
        }
        Self::reduce(&c)
    }

    fn reduce(c: &[u32; 16]) -> Limbs {
        let w = |i: usize| c[i] as i64;
        // Word j of s1 + 2·s2 + 2·s3 + s4 + s5 − d1 − d2 − d3 − d4 (FIPS 186-4 D.2.3).
        let acc: [i64; 8] = [
            w(0) + w(8) + w(9) - w(11) - w(12) - w(13) - w(14),
            w(1) + w(9) + w(10) - w(12) - w(13) - w(14) - w(15),
            w(2) + w(10) + w(11) - w(13) - w(14) - w(15),
            w(3) + 2 * w(11) + 2 * w(12) + w(13) - w(15) - w(8) - w(9),
            w(4) + 2 * w(12) + 2 * w(13) + w(14) - w(9) - w(10),
            w(5) + 2 * w(13) + 2 * w(14) + w(15) - w(10) - w(11),
            w(6) + 3 * w(14) + 2 * w(15) + w(13) - w(8) - w(9),
            w(7) + 3 * w(15) + w(8) - w(10) - w(11) - w(12) - w(13),
        ];
        let mut r = [0u32; 8];
        let mut carry: i64 = 0;
        for j in 0..8 {
            let t = acc[j] + carry;
            r[j] = t as u32; // low 32 bits (two's complement)
            carry = t >> 32; // arithmetic shift: floor division
        }
        // Value = r + carry·2^256 with a small signed carry; fold it away with ±p.
        while carry < 0 {
            let (s, c) = add_raw(&r, &P);
            r = s;
            if c {
                carry += 1;
            }
        }
        while carry > 0 {
            let (d, b) = sub_raw(&r, &P);
            r = d;
            if b {
                carry -= 1;
            }
        }
        if geq(&r, &P) {
            r = sub_raw(&r, &P).0;
        }
        r
    }

    /// a² with each cross product computed once (28 products + 8 squares instead of 64):
    /// about 40% of the curve's field multiplications are squarings.
    fn sqr(&self, a: &Limbs) -> Limbs {
        let mut c = [0u32; 16];
        // Cross products a[i]·a[j], i < j.
        for i in 0..7 {
            let mut carry = 0u64;
            let ai = a[i] as u64;
            for j in (i + 1)..8 {
                let t = c[i + j] as u64 + ai * a[j] as u64 + carry;
                c[i + j] = t as u32;
                carry = t >> 32;
            }
            c[i + 8] = carry as u32;
        }
        // Double them, then add the squares a[i]² on the diagonal.
        let mut top = 0u32;
        for w in c.iter_mut() {
            let next_top = *w >> 31;
            *w = (*w << 1) | top;
            top = next_top;
        }
        let mut carry = 0u64;
        for i in 0..8 {
            let sq = a[i] as u64 * a[i] as u64;
            let lo = c[2 * i] as u64 + (sq & 0xffff_ffff) + carry;
            c[2 * i] = lo as u32;
            let hi = c[2 * i + 1] as u64 + (sq >> 32) + (lo >> 32);
            c[2 * i + 1] = hi as u32;
            carry = hi >> 32;
        }
        Self::reduce(&c)
    }

    fn to_mont(&self, a: &Limbs) -> Limbs {
        *a
    }

    fn from_mont(&self, a: &Limbs) -> Limbs {
        *a
    }

    fn inv(&self, a: &Limbs) -> Limbs {
        let mut e = P;
        e[0] -= 2;
        let mut r = self.one;
        for i in (0..256).rev() {
            r = self.sqr(&r);
            if (e[i / 32] >> (i % 32)) & 1 == 1 {
                r = self.mul(&r, a);
            }
        }
        r
    }
}

/// Jacobian point (X/Z², Y/Z³) with coordinates in Montgomery form; Z = 0 is infinity.
#[derive(Clone, Copy)]
struct Point {
    x: Limbs,
    y: Limbs,
    z: Limbs,
}

struct Curve {
    f: FieldP,
}

impl Curve {
    fn infinity(&self) -> Point {
        Point { x: self.f.one, y: self.f.one, z: [0; 8] }
    }

    fn double(&self, p: &Point) -> Point {
        let f = &self.f;
        if is_zero(&p.z) {
            return *p;
        }
        // dbl-2001-b, valid for a = -3.
        let delta = f.sqr(&p.z);
        let gamma = f.sqr(&p.y);
        let beta = f.mul(&p.x, &gamma);
        let t = f.mul(&f.sub(&p.x, &delta), &f.add(&p.x, &delta));
        let alpha = f.add(&f.add(&t, &t), &t);
        let beta2 = f.add(&beta, &beta);
        let beta4 = f.add(&beta2, &beta2);
        let beta8 = f.add(&beta4, &beta4);
        let x3 = f.sub(&f.sqr(&alpha), &beta8);
        let yz = f.add(&p.y, &p.z);
        let z3 = f.sub(&f.sub(&f.sqr(&yz), &gamma), &delta);
        let g2 = f.sqr(&gamma);
        let g2_2 = f.add(&g2, &g2);
        let g2_4 = f.add(&g2_2, &g2_2);
        let g2_8 = f.add(&g2_4, &g2_4);
        let y3 = f.sub(&f.mul(&alpha, &f.sub(&beta4, &x3)), &g2_8);
        Point { x: x3, y: y3, z: z3 }
    }

    fn add(&self, p: &Point, q: &Point) -> Point {
        let f = &self.f;
        if is_zero(&p.z) {
            return *q;
        }
        if is_zero(&q.z) {
            return *p;
        }
        // add-2007-bl.
        let z1z1 = f.sqr(&p.z);
        let z2z2 = f.sqr(&q.z);
        let u1 = f.mul(&p.x, &z2z2);
        let u2 = f.mul(&q.x, &z1z1);
        let s1 = f.mul(&f.mul(&p.y, &q.z), &z2z2);
        let s2 = f.mul(&f.mul(&q.y, &p.z), &z1z1);
        let h = f.sub(&u2, &u1);
        let s_diff = f.sub(&s2, &s1);
        if is_zero(&h) {
            return if is_zero(&s_diff) { self.double(p) } else { self.infinity() };
        }
        let r = f.add(&s_diff, &s_diff);
        let h2 = f.add(&h, &h);
        let i = f.sqr(&h2);
        let j = f.mul(&h, &i);
        let v = f.mul(&u1, &i);
        let x3 = f.sub(&f.sub(&f.sqr(&r), &j), &f.add(&v, &v));
        let s1j = f.mul(&s1, &j);
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.add(&s1j, &s1j));
        let zs = f.add(&p.z, &q.z);
        let z3 = f.mul(&f.sub(&f.sub(&f.sqr(&zs), &z1z1), &z2z2), &h);
        Point { x: x3, y: y3, z: z3 }
    }

    /// Whether (x, y) (normal form, both < p) satisfies y² = x³ − 3x + b.
    fn on_curve(&self, x: &Limbs, y: &Limbs) -> bool {
        let f = &self.f;
        let xm = f.to_mont(x);
        let ym = f.to_mont(y);
        let x3 = f.mul(&f.sqr(&xm), &xm);
        let three_x = f.add(&f.add(&xm, &xm), &xm);
        let rhs = f.add(&f.sub(&x3, &three_x), &f.to_mont(&B));
        f.sqr(&ym) == rhs
    }
}

/// Verifies an ECDSA P-256 signature (r ‖ s, 64 bytes big-endian) by the uncompressed public key
/// (x ‖ y, 64 bytes) over a SHA-256 `digest`.
pub fn verify_prehashed(public_key: &[u8; 64], digest: &[u8; 32], signature: &[u8; 64]) -> bool {
    let mut buf = [0u8; 32];
    buf.copy_from_slice(&public_key[..32]);
    let qx = from_be(&buf);
    buf.copy_from_slice(&public_key[32..]);
    let qy = from_be(&buf);
    buf.copy_from_slice(&signature[..32]);
    let r = from_be(&buf);
    buf.copy_from_slice(&signature[32..]);
    let s = from_be(&buf);
    let mut e = from_be(digest);

    if is_zero(&r) || is_zero(&s) || geq(&r, &N) || geq(&s, &N) {
        return false;
    }
    if geq(&qx, &P) || geq(&qy, &P) {
        return false;
    }
    let curve = Curve { f: FieldP::new() };
    if !curve.on_curve(&qx, &qy) {
        return false;
    }
    if geq(&e, &N) {
        e = sub_raw(&e, &N).0;
    }

    let sc = Mont::new(N);
    let w = sc.inv(&sc.to_mont(&s));
    let u1 = sc.from_mont(&sc.mul(&sc.to_mont(&e), &w));
    let u2 = sc.from_mont(&sc.mul(&sc.to_mont(&r), &w));

    let f = &curve.f;
    let g = Point { x: f.to_mont(&GX), y: f.to_mont(&GY), z: f.one };
    let q = Point { x: f.to_mont(&qx), y: f.to_mont(&qy), z: f.one };
    let gq = curve.add(&g, &q);
    let mut acc = curve.infinity();
    for i in (0..256).rev() {
        acc = curve.double(&acc);
        let b1 = (u1[i / 32] >> (i % 32)) & 1 == 1;
        let b2 = (u2[i / 32] >> (i % 32)) & 1 == 1;
        acc = match (b1, b2) {
            (true, true) => curve.add(&acc, &gq),
            (true, false) => curve.add(&acc, &g),
            (false, true) => curve.add(&acc, &q),
            (false, false) => acc,
        };
    }
    if is_zero(&acc.z) {
        return false;
    }
    let zinv = f.inv(&acc.z);
    let x = f.from_mont(&f.mul(&acc.x, &f.sqr(&zinv)));
    let mut xr = x;
    if geq(&xr, &N) {
        xr = sub_raw(&xr, &N).0;
    }
    xr == r
}

type Verified = ([u8; 64], [u8; 32], [u8; 64]);

std::thread_local! {
    /// Signatures already verified in this call. DCAP checks the same CRL and CA signatures
    /// once per certificate path (three paths share the root CRL); each P-256 verification
    /// costs millions of wasm instructions, so successes are remembered. Verification is a
    /// pure function, so memoizing it cannot change any result.
    static VERIFIED: std::cell::RefCell<Vec<Verified>> = std::cell::RefCell::new(Vec::new());
}

/// Verifies an ECDSA P-256 / SHA-256 signature over `message`.
pub fn verify(public_key: &[u8; 64], message: &[u8], signature: &[u8; 64]) -> bool {
    use sha2::Digest;
    let digest: [u8; 32] = sha2::Sha256::digest(message).into();
    let entry = (*public_key, digest, *signature);
    if VERIFIED.with(|v| v.borrow().contains(&entry)) {
        return true;
    }
    let ok = verify_prehashed(public_key, &digest, signature);
    if ok {
        VERIFIED.with(|v| {
            let mut v = v.borrow_mut();
            if v.len() >= 32 {
                v.remove(0);
            }
            v.push(entry);
        });
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_montgomery_roundtrip() {
        let f = Mont::new(P);
        let x = GX;
        assert_eq!(f.from_mont(&f.to_mont(&x)), x);
        let xm = f.to_mont(&x);
        assert_eq!(f.from_mont(&f.mul(&xm, &f.inv(&xm))), { let mut o = [0u32; 8]; o[0] = 1; o });
        assert!(Curve { f: FieldP::new() }.on_curve(&GX, &GY));
        assert_eq!(to_be(&from_be(&[7u8; 32])), [7u8; 32]);
    }

    #[test]
    fn fast_reduction_agrees_with_montgomery() {
        // Two independent reductions of the same products, over edge values and a simple
        // xorshift sequence of operands.
        let mont = Mont::new(P);
        let fp = FieldP::new();
        let mut pm1 = P;
        pm1[0] -= 1;
        let mut vals = vec![[0u32; 8], fp.one, pm1, GX, GY, B, [0xffff_ffffu32; 8]];
        vals[6] = sub_raw(&vals[6], &P).0; // 2^256-1 mod p
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200 {
            let mut l = [0u32; 8];
            for limb in l.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *limb = x as u32;
            }
            if geq(&l, &P) {
                l = sub_raw(&l, &P).0;
            }
            vals.push(l);
        }
        for a in &vals {
            for b in vals.iter().take(12) {
                let want = mont.from_mont(&mont.mul(&mont.to_mont(a), &mont.to_mont(b)));
                assert_eq!(fp.mul(a, b), want);
            }
            assert_eq!(fp.sqr(a), fp.mul(a, a));
        }
    }

    #[test]
    fn n_times_g_is_infinity_and_2g_matches() {
        let curve = Curve { f: FieldP::new() };
        let f = &curve.f;
        let g = Point { x: f.to_mont(&GX), y: f.to_mont(&GY), z: f.one };
        // 2G from SEC test data: x = 7cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc47669978
        let d = curve.double(&g);
        let zi = f.inv(&d.z);
        let x = f.from_mont(&f.mul(&d.x, &f.sqr(&zi)));
        assert_eq!(x, hex_limbs(b"7cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc47669978"));
        // G + G through the addition formula takes the doubling branch.
        let a = curve.add(&g, &g);
        let x2 = f.from_mont(&f.mul(&a.x, &f.sqr(&f.inv(&a.z))));
        assert_eq!(x2, x);
        // n·G = infinity, by double-and-add over the bits of n.
        let mut acc = curve.infinity();
        for i in (0..256).rev() {
            acc = curve.double(&acc);
            if (N[i / 32] >> (i % 32)) & 1 == 1 {
                acc = curve.add(&acc, &g);
            }
        }
        assert!(is_zero(&acc.z));
    }

    #[test]
    fn rejects_out_of_range_and_off_curve() {
        let mut pk = [0u8; 64];
        pk[..32].copy_from_slice(&to_be(&GX));
        pk[32..].copy_from_slice(&to_be(&GY));
        let digest = [1u8; 32];
        assert!(!verify_prehashed(&pk, &digest, &[0u8; 64]));
        assert!(!verify_prehashed(&pk, &digest, &[0xffu8; 64]));
        let mut off = pk;
        off[63] ^= 1;
        let mut sig = [0u8; 64];
        sig[31] = 1;
        sig[63] = 1;
        assert!(!verify_prehashed(&off, &digest, &sig));
    }

    // Independent oracle: produced once with Python `cryptography` (OpenSSL), private key
    // 0x1234567890abcdef, message "near tee keystore".
    const ORACLE_PK: &str = "9fad84aeae08bbef7f010014d82cef6a09de2b0cf871b5ce0c4f1d13a59a593407cb45769f1070e2c2470fe5b1bfe63133c0b0cdc64ea4bf3791a8ec2a07fd4f";
    const ORACLE_SIG: &str = "862355231fe1f2be5d3197f0b9ea2ac06c2616f7bffce67bff54e8c736a80973ed6a4237a5a4e5be9372758932187fcf6f05151a8f76dde321a694bb7a993502";

    #[test]
    fn verifies_openssl_signature_and_rejects_changes() {
        let mut pk = [0u8; 64];
        pk.copy_from_slice(&hex::decode(ORACLE_PK).unwrap());
        let mut sig = [0u8; 64];
        sig.copy_from_slice(&hex::decode(ORACLE_SIG).unwrap());
        assert!(verify(&pk, b"near tee keystore", &sig));
        assert!(!verify(&pk, b"near tee keystorE", &sig));
        for bit in [0usize, 100, 300, 511] {
            let mut bad = sig;
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(!verify(&pk, b"near tee keystore", &bad), "bit {}", bit);
        }
    }
}
