using System.Security.Cryptography;

public class Ciphers
{
    public ICryptoTransform Legacy(byte[] key, byte[] iv)
    {
        // ruleid: csharp-weak-symmetric-cipher
        using var des = DES.Create();
        // ruleid: csharp-weak-symmetric-cipher
        using var tdes = TripleDES.Create();
        // ruleid: csharp-weak-symmetric-cipher
        using var rc2 = new RC2CryptoServiceProvider();
        return tdes.CreateEncryptor(key, iv);
    }

    public byte[] Modern(byte[] key, byte[] nonce, byte[] plain, byte[] tag)
    {
        // ok: csharp-weak-symmetric-cipher
        using var aes = Aes.Create();
        // ok: csharp-weak-symmetric-cipher
        using var gcm = new AesGcm(key, 16);
        var cipher = new byte[plain.Length];
        gcm.Encrypt(nonce, plain, cipher, tag);
        return cipher;
    }
}
