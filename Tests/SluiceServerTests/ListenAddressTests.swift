import SluiceServer
import SluiceStore
import SluiceTesting
import Testing

@Suite struct ListenAddressTests {
    @Test func parsesHostAndPort() {
        #expect(APIServerConfiguration(listen: "127.0.0.1:9000") == APIServerConfiguration(host: "127.0.0.1", port: 9000))
        #expect(APIServerConfiguration(listen: "0.0.0.0") == APIServerConfiguration(host: "0.0.0.0", port: 8425))
        #expect(APIServerConfiguration(listen: ":0") == APIServerConfiguration(host: "127.0.0.1", port: 0))
        #expect(APIServerConfiguration(listen: "[::1]:8500") == APIServerConfiguration(host: "::1", port: 8500))
    }

    @Test func refusesNonsense() {
        #expect(APIServerConfiguration(listen: "127.0.0.1:70000") == nil)
        #expect(APIServerConfiguration(listen: "127.0.0.1:http") == nil)
        #expect(APIServerConfiguration(listen: "[::1") == nil)
    }
}
