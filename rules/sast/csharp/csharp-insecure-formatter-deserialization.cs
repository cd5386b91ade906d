using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Formatters.Binary;
using System.Text.Json;

public class Session { public string User { get; set; } }

public class SessionStore
{
    public object LoadLegacy(Stream body)
    {
        // ruleid: csharp-insecure-formatter-deserialization
        var formatter = new BinaryFormatter();
        return formatter.Deserialize(body);
    }

    public object LoadWcf(Stream body)
    {
        // ruleid: csharp-insecure-formatter-deserialization
        return new NetDataContractSerializer().Deserialize(body);
    }

    public Session LoadJson(Stream body)
    {
        // ok: csharp-insecure-formatter-deserialization
        return JsonSerializer.Deserialize<Session>(body);
    }

    public object LoadContract(Stream body)
    {
        // ok: csharp-insecure-formatter-deserialization
        var serializer = new DataContractSerializer(typeof(Session));
        return serializer.ReadObject(body);
    }
}
