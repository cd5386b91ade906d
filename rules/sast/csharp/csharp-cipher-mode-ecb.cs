using System.Security.Cryptography;

public class Modes
{
    public byte[] Ecb(byte[] key, byte[] plain)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        // ruleid: csharp-cipher-mode-ecb
        aes.Mode = CipherMode.ECB;
        // ruleid: csharp-cipher-mode-ecb
        return aes.EncryptEcb(plain, PaddingMode.PKCS7);
    }

    public SymmetricAlgorithm Initialised()
    {
        var alg = Aes.Create();
        // ruleid: csharp-cipher-mode-ecb
        var legacy = new RijndaelManaged { Mode = CipherMode.ECB, Padding = PaddingMode.PKCS7 };
        return alg;
    }

    public byte[] Cbc(byte[] key, byte[] iv, byte[] plain)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        // ok: csharp-cipher-mode-ecb
        aes.Mode = CipherMode.CBC;
        // ok: csharp-cipher-mode-ecb
        if (aes.Mode == CipherMode.ECB) throw new CryptographicException("ECB is not allowed");
        // ok: csharp-cipher-mode-ecb
        return aes.EncryptCbc(plain, iv, PaddingMode.PKCS7);
    }
}
