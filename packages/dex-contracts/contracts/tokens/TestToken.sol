// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {ERC20Core} from "./ERC20Core.sol";

/// A plain ERC-20 for local chains: the owner mints freely, anyone may take
/// `faucetAmount` from the faucet once per `FAUCET_COOLDOWN`.
contract TestToken is ERC20Core {
    uint256 public constant FAUCET_COOLDOWN = 1 hours;

    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public immutable faucetAmount;
    address public owner;
    mapping(address => uint256) public lastFaucet;

    constructor(string memory _name, string memory _symbol, uint8 _decimals, uint256 _faucetAmount) {
        name = _name;
        symbol = _symbol;
        decimals = _decimals;
        faucetAmount = _faucetAmount;
        owner = msg.sender;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == owner, "TestToken: FORBIDDEN");
        _mint(to, value);
    }

    function faucet() external {
        uint256 last = lastFaucet[msg.sender];
        require(last == 0 || block.timestamp >= last + FAUCET_COOLDOWN, "TestToken: FAUCET_COOLDOWN");
        lastFaucet[msg.sender] = block.timestamp;
        _mint(msg.sender, faucetAmount);
    }

    function transferOwnership(address newOwner) external {
        require(msg.sender == owner, "TestToken: FORBIDDEN");
        owner = newOwner;
    }
}
