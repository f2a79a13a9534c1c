// What the drill tests share: a drill on minimal.yaml that uses every kind of condition,
// with two faults.
#pragma once

namespace blastlab::drill {

inline constexpr const char* kGoodDrill = R"(name: pop1-cut
title: A PoP cut off from the backbone
topology: ../topologies/minimal.yaml
briefing: |
  Clients behind transit1 see slow DNS answers.
faults:
  - name: uplink-down
    reveal: pop1's only uplink is shut.
    steps:
      - vtysh:
          on: pop1
          each-link: bb1
          config: |
            interface {{interface}}
             shutdown
      - wait: {until: converged, timeout: 20s}
  - name: link-down
    steps:
      - link: {between: [bb1, pop1], state: down}
hints:
  - {text: Look at pop1's BGP sessions., cost: 5}
  - {text: One of pop1's interfaces is shut., cost: 15}
restored:
  - converged
  - prefix-back: {prefix: 198.51.100.0/26, at: transit1}
  - dns-answering: {at: client1, queries: 5}
  - reach: {from: dns1, to: dc1}
  - route-via: {at: pop1, prefix: 198.51.100.0/26, via: dns1}
time-limit: 600s
)";

}  // namespace blastlab::drill
