namespace Keystore.Near.Bls12381;

/// <summary>The field operations the generic curve arithmetic needs (implemented by <see cref="Fp"/> and <see cref="Fp2"/>).</summary>
public interface IFieldElement<T> where T : struct, IFieldElement<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    /// <summary>0 or 1 as a field element without branching on the bit (used by constant-time swaps).</summary>
    static abstract T FromBit(int bit);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator -(T a);
    static abstract T operator *(T a, T b);
    T Square();
    T Inverse();
    bool IsZero { get; }
    bool Equals(T other);
}
