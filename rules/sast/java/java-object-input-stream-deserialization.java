import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

public class Sessions {
    Object load(InputStream body) throws Exception {
        ObjectInputStream in = new ObjectInputStream(body);
        // ruleid: java-object-input-stream-deserialization
        return in.readObject();
    }

    Object loadResource(InputStream body) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(body)) {
            // ruleid: java-object-input-stream-deserialization
            return in.readObject();
        }
    }

    Object loadInline(InputStream body) throws Exception {
        // ruleid: java-object-input-stream-deserialization
        return new ObjectInputStream(body).readObject();
    }

    Object loadFiltered(InputStream body) throws Exception {
        ObjectInputStream in = new ObjectInputStream(body);
        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.dto.*;!*"));
        // ok: java-object-input-stream-deserialization
        return in.readObject();
    }

    Object loadFilteredResource(InputStream body) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(body)) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.dto.*;!*"));
            // ok: java-object-input-stream-deserialization
            return in.readObject();
        }
    }
}
