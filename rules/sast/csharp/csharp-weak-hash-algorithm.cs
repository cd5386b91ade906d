using System.Security.Cryptography;
using System.Text;

public class Hashes
{
    public byte[] Legacy(string input)
    {
        byte[] data = Encoding.UTF8.GetBytes(input);
        // ruleid: csharp-weak-hash-algorithm
        using var md5 = MD5.Create();
        // ruleid: csharp-weak-hash-algorithm
        byte[] sha1 = SHA1.HashData(data);
        // ruleid: csharp-weak-hash-algorithm
        using var csp = new MD5CryptoServiceProvider();
        // ruleid: csharp-weak-hash-algorithm
        var byName = HashAlgorithm.Create("SHA1");
        return md5.ComputeHash(data);
    }

    public byte[] Modern(string input)
    {
        byte[] data = Encoding.UTF8.GetBytes(input);
        // ok: csharp-weak-hash-algorithm
        using var sha256 = SHA256.Create();
        // ok: csharp-weak-hash-algorithm
        byte[] sha512 = SHA512.HashData(data);
        // ok: csharp-weak-hash-algorithm
        var byName = HashAlgorithm.Create("SHA256");
        return sha256.ComputeHash(data);
    }
}
